// Clear-signing the text part with openpgp.js, as Debian signs its announcements: the text stays
// readable, wrapped in "BEGIN PGP SIGNED MESSAGE" and followed by the signature, so `gpg --verify` works
// on the saved text part. Signed once per rendered text, not per subscriber (the text is not personal).
import * as openpgp from 'openpgp';
import { AdvisoriesError } from '../core/errors.ts';
import { readSigningKey } from '../publish/pgp-key.ts';

export type Signer = (text: string) => Promise<string>;

export async function pgpSigner(armoredKey: string, passphrase: string | undefined): Promise<Signer> {
  const key = await readSigningKey(armoredKey, passphrase);
  // Proven before the first message: a key that cannot sign (or whose signature does not verify) stops the run.
  try {
    const probe = await openpgp.createCleartextMessage({ text: 'advisories: PGP key check' });
    const armoredSig = await openpgp.sign({ message: probe, signingKeys: key });
    const check = await openpgp.verify({ message: await openpgp.readCleartextMessage({ cleartextMessage: armoredSig }), verificationKeys: key.toPublic() });
    await check.signatures[0]!.verified;
  } catch {
    throw new AdvisoriesError('SETUP', 'PGP_PRIVATE_KEY cannot sign: a test signature does not verify against its own public key; nothing was sent');
  }
  return async (text) => {
    const message = await openpgp.createCleartextMessage({ text });
    const signed = await openpgp.sign({ message, signingKeys: key });
    return signed.endsWith('\n') ? signed : `${signed}\n`;
  };
}
