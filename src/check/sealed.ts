// Sealed advisories: an embargoed advisory kept in the repository as age ciphertext, with only what the
// schedule needs (id, publish time) in clear text, so a public repository never shows it before its time.
//
//   ---
//   # Sealed advisory: …
//   id: SBX-2026-0009
//   published: 2026-12-10T12:00:00Z
//   sealed: age
//   ---
//   -----BEGIN AGE ENCRYPTED FILE-----
//   …
//   -----END AGE ENCRYPTED FILE-----
//
// The clear part is YAML frontmatter like any advisory's, so every reader (positions, the git rules,
// the file name check) works on it without the key; the ciphertext holds the whole clear file.
import { diag } from '../core/catalogue.ts';
import type { Config } from '../core/config.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { AdvisoriesError } from '../core/errors.ts';
import { SealedHeader } from '../core/schema.ts';
import { parseAdvisory, splitFrontmatter } from './parse-advisory.ts';
import type { SourceFile } from './read-files.ts';

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';

/** Whether the text is a sealed advisory: frontmatter, then the armored ciphertext and nothing else. */
export function isSealed(text: string): boolean {
  // The substring first: every clear file is asked, and almost none is sealed.
  if (!text.includes(BEGIN)) return false;
  const split = splitFrontmatter(text);
  return split !== undefined && text.slice(split.endOffset).trimStart().startsWith(BEGIN);
}

/** The armored ciphertext of a sealed text (undefined when it is not one whole armored block). */
function armoredPart(text: string): string | undefined {
  const split = splitFrontmatter(text);
  const rest = split && text.slice(split.endOffset).trim();
  return rest?.startsWith(BEGIN) && rest.endsWith(END) ? `${rest}\n` : undefined;
}

export interface SealedCheck {
  diagnostics: Diagnostic[];
  id?: string;
  published?: string;
}

/**
 * Checks the clear part of a sealed file, which needs no key: its fields, the id against the file name
 * and the prefix, and that the ciphertext is one armored block. Never reads the ciphertext's content.
 */
export function checkSealedHeader(source: SourceFile, config: Config): SealedCheck {
  const { file } = source;
  // No Markdown parse: the body is ciphertext, with no headings to find.
  const { parsed, diagnostics } = parseAdvisory(source, () => []);
  if (!parsed) return { diagnostics };
  const header = SealedHeader.safeParse(parsed.data);
  if (!header.success) {
    const issue = header.error.issues[0]!;
    const key = issue.path.length ? String(issue.path[0]) : undefined;
    const place = key && typeof parsed.data === 'object' && parsed.data !== null && key in parsed.data ? parsed.place([key], issue.code === 'unrecognized_keys' ? 'key' : 'value') : START;
    const what = issue.code === 'unrecognized_keys' ? `\`${issue.keys.join('`, `')}\` must not be in clear text` : `\`${key}\` ${issue.message}`;
    return {
      diagnostics: [
        diag('sealed-invalid', file, place, {
          reason: `its clear part must hold only id, published and sealed: age (${what})`,
          fix: 'Keep every other field inside the sealed text: `advisories edit FILE` opens it.',
        }),
      ],
    };
  }
  const { id, published } = header.data;
  const out: Diagnostic[] = [];
  if (id !== parsed.stem) out.push(diag('id-file-mismatch', file, parsed.place(['id']), { id, file: `${parsed.stem}.md`, stem: parsed.stem, expected: parsed.stem, actual: id }));
  const prefix = config.idPrefix;
  if (prefix && !id.startsWith(`${prefix}-`)) out.push(diag('id-format', file, parsed.place(['id']), { id, prefix, expected: `${prefix}-YYYY-NNNN`, actual: id }));
  if (!armoredPart(source.text)) {
    out.push(diag('sealed-invalid', file, { line: parsed.bodyLine, column: 1 }, { reason: `the ciphertext is not one whole armored block (${BEGIN} … ${END})` }));
  }
  return { diagnostics: out, id, published };
}

/** Why a sealed text could not be opened; the message never holds any of the sealed text. */
export class SealError extends Error {}

type Age = typeof import('age-encryption');
// Loaded on first use: a project without sealed files never pays for it.
let age: Promise<Age> | undefined;
const loadAge = () => (age ??= import('age-encryption'));

/** The secret keys in a text (a key file, or the value of the secret): AGE-SECRET-KEY-1… lines, comments ignored. */
export function parseIdentities(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The clear text of a sealed file, opened with any of the identities. */
export async function unsealText(text: string, identities: readonly string[]): Promise<string> {
  const armored = armoredPart(text);
  if (!armored) throw new SealError('the ciphertext is not one whole armored block');
  const { Decrypter, armor } = await loadAge();
  let bytes: Uint8Array;
  try {
    bytes = armor.decode(armored);
  } catch {
    throw new SealError('the armored ciphertext is damaged (not valid base64 age armor)');
  }
  const decrypter = new Decrypter();
  for (const identity of identities) {
    try {
      decrypter.addIdentity(identity);
    } catch {
      throw new SealError('a key in the identity is not an age secret key (AGE-SECRET-KEY-1…)');
    }
  }
  try {
    return await decrypter.decrypt(bytes, 'text');
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    // age names the case where no key matches; anything else means the bytes were changed.
    throw new SealError(
      /no identity matched/i.test(message)
        ? 'it is not encrypted for any of the keys given (sealed for other recipients?)'
        : 'the ciphertext is damaged or was changed after sealing (age refused it)',
    );
  }
}

/** The sealed form of an advisory: its clear id and publish time, and the whole text encrypted for the recipients. */
export async function sealText(clear: string, header: { id: string; published: string }, recipients: readonly string[]): Promise<string> {
  const { Encrypter, armor } = await loadAge();
  const encrypter = new Encrypter();
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient);
    } catch {
      // The config's checksum test passed, so it is a well-formed key of a kind age-encryption has no use for.
      throw new AdvisoriesError('SETUP', `advisories.config.json: "seal.recipients" holds ${recipient}, which age-encryption cannot encrypt to (a plugin's recipient, such as age1yubikey1…?); list X25519 keys (age1…) made by \`advisories keygen\` or age-keygen`);
    }
  }
  const armored = armor.encode(await encrypter.encrypt(clear)).trim();
  return (
    '---\n' +
    '# Sealed advisory: the text is encrypted for the keys in advisories.config.json ("seal.recipients").\n' +
    `# Work on it with \`advisories edit advisories/${header.id}.md\`; see docs/publishing.md.\n` +
    `id: ${header.id}\n` +
    `published: ${header.published}\n` +
    'sealed: age\n' +
    '---\n' +
    `${armored}\n`
  );
}

/** A new key pair, for `advisories keygen`. */
export async function newIdentity(): Promise<{ identity: string; recipient: string }> {
  const { generateIdentity, identityToRecipient } = await loadAge();
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}
