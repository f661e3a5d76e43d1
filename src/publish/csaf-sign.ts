// Detached OpenPGP signatures beside each CSAF document (CSAF 2.0 section 7.1.19: `<file>.asc`), made
// with the key the signed mail uses. Each signature is dated by its document's current release (or the
// key's creation, if later) and carries no random notation, so the same input and key give the same bytes.
import * as openpgp from 'openpgp';
import { isCsafDocument } from '../render/csaf/index.ts';
import { made, type CsafKey, type SiteContent, type SiteEntries } from '../render/site-input.ts';
import { readSigningKey } from './pgp-key.ts';

export interface CsafSigner {
  /** The public half, for provider-metadata.json and the site's key file. */
  key: CsafKey;
  sign(bytes: Uint8Array): Promise<string>;
}

const later = (a: Date, b: Date) => (a > b ? a : b);

export async function csafSigner(armoredKey: string, passphrase: string | undefined): Promise<CsafSigner> {
  const key = await readSigningKey(armoredKey, passphrase);
  const created = key.getCreationTime();
  return {
    key: { fingerprint: key.getFingerprint().toUpperCase(), armored: key.toPublic().armor() },
    async sign(bytes) {
      const current = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { document: { tracking: { current_release_date: string } } }).document.tracking.current_release_date;
      const message = await openpgp.createMessage({ binary: bytes });
      const signature = await openpgp.sign({
        message,
        signingKeys: key,
        detached: true,
        date: later(new Date(current), created),
        config: { nonDeterministicSignaturesViaNotation: false },
      });
      return String(signature);
    },
  };
}

/** The site's entries, each CSAF document followed by its signature. */
export async function* withCsafSignatures(entries: SiteEntries, signer: CsafSigner): AsyncGenerator<readonly [string, SiteContent]> {
  for (const [path, content] of entries) {
    if (!isCsafDocument(path)) {
      yield [path, content];
      continue;
    }
    // Signed from its bytes, so made here.
    const bytes = made(content);
    yield [path, bytes];
    if (bytes instanceof Uint8Array) yield [`${path}.asc`, await signer.sign(bytes)];
  }
}
