// The OpenPGP signing key from the environment (PGP_PRIVATE_KEY, PGP_PASSPHRASE): one reader for the
// signed mail (mail/pgp.ts) and the signed CSAF documents (csaf-sign.ts).
import * as openpgp from 'openpgp';
import { AdvisoriesError } from '../core/errors.ts';

export async function readSigningKey(armoredKey: string, passphrase: string | undefined): Promise<openpgp.PrivateKey> {
  try {
    const key = await openpgp.readPrivateKey({ armoredKey });
    if (key.isDecrypted()) return key;
    if (passphrase === undefined) throw new AdvisoriesError('SETUP', 'the key is protected: set PGP_PASSPHRASE');
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (error) {
    // openpgp's message never contains the key or the passphrase, but keep ours generic anyway.
    throw new AdvisoriesError('SETUP', `PGP_PRIVATE_KEY cannot be used: ${/passphrase/i.test((error as Error).message) ? 'wrong or missing PGP_PASSPHRASE' : 'not a usable private key'}`);
  }
}
