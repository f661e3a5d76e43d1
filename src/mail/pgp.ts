// Clear-signing the text part with openpgp.js, as Debian signs its announcements: the text stays
// readable, wrapped in "BEGIN PGP SIGNED MESSAGE" and followed by the signature, so `gpg --verify` works
// on the saved text part. Signed once per rendered text, not per subscriber (the text is not personal).
import * as openpgp from 'openpgp';
import { readSigningKey } from '../publish/pgp-key.ts';

export type Signer = (text: string) => Promise<string>;

export async function pgpSigner(armoredKey: string, passphrase: string | undefined): Promise<Signer> {
  const key = await readSigningKey(armoredKey, passphrase);
  return async (text) => {
    const message = await openpgp.createCleartextMessage({ text });
    const signed = await openpgp.sign({ message, signingKeys: key });
    return signed.endsWith('\n') ? signed : `${signed}\n`;
  };
}
