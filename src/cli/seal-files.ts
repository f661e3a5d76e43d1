// What seal, unseal and edit share: which files they may touch, the recipients, the keys, and writing
// an advisory back atomically (written beside under a dot name, which no command lists, then renamed).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../check/config.ts';
import { normalizeText } from '../check/markdown.ts';
import { parseAdvisory } from '../check/parse-advisory.ts';
import { ADVISORY_DIR, toPosix } from '../check/read-files.ts';
import { isSealed, SealError, sealText, unsealText } from '../check/sealed.ts';
import { SealedHeader } from '../core/schema.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { AdvisoriesError } from '../core/errors.ts';
import type { SealKeys } from '../check/open-sealed.ts';

/** An advisory file named on the command line: inside ROOT/advisories/, a `.md` file. */
export function advisoryArg(root: string, cwd: string, arg: string): { path: string; file: string } {
  const path = resolve(cwd, arg);
  const dir = join(root, ADVISORY_DIR);
  if (dirname(path) !== dir || !path.endsWith('.md')) {
    throw new AdvisoriesError('USAGE', `${arg} is not an advisory file: give a .md file in ${toPosix(relative(cwd, dir) || '.') + sep}`);
  }
  return { path, file: toPosix(relative(root, path)) };
}

export async function recipientsOf(root: string): Promise<string[]> {
  const { config, diagnostics } = await loadConfig(root);
  const d = diagnostics[0];
  if (d) throw new AdvisoriesError('SETUP', `${d.file}:${d.line}:${d.column}: ${d.message}${d.hint ? `\n  fix: ${d.hint}` : ''}`);
  const recipients = config.seal?.recipients;
  if (!recipients) {
    throw new AdvisoriesError('SETUP', 'advisories.config.json has no "seal": {"recipients": ["age1…"]}: list the public keys that may read sealed advisories (see docs/publishing.md)');
  }
  return recipients;
}

export function requireKeys(keys: SealKeys, what: string): readonly string[] {
  if (!keys.identities?.length) {
    throw new AdvisoriesError('SETUP', `${what} needs a recipient's key: set ADVISORIES_AGE_IDENTITY_FILE to your key file (or ADVISORIES_AGE_IDENTITY to the key)`);
  }
  return keys.identities;
}

export function readText(path: string, file: string): string {
  try {
    const raw = readFileSync(path, 'utf8');
    // A sealed file checked out with CRLF line endings (git's autocrlf on Windows) or a BOM is still sealed,
    // as check finds it; a clear file keeps its very bytes, so unseal gives back what was sealed.
    const normalized = normalizeText(raw);
    return isSealed(normalized) ? normalized : raw;
  } catch (error) {
    throw new AdvisoriesError('USAGE', `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The clear text of a sealed file; a clear error naming the file when it cannot be opened. */
export async function openText(text: string, file: string, identities: readonly string[]): Promise<string> {
  try {
    return await unsealText(text, identities);
  } catch (error) {
    if (error instanceof SealError) throw new AdvisoriesError('USAGE', `${file}: ${error.message}`);
    throw error;
  }
}

/** The sealed form of a clear advisory: it needs an id and a publish time, nothing else has to be valid yet. */
export async function sealClear(clear: string, file: string, recipients: readonly string[]): Promise<string> {
  if (isSealed(clear)) throw new AdvisoriesError('USAGE', `${file}: the text is itself sealed`);
  const { parsed } = parseAdvisory({ file, path: file, text: clear.replace(/\r\n?/g, '\n'), bytes: Buffer.alloc(0) }, () => []);
  const data = (parsed?.data ?? {}) as Record<string, unknown>;
  const header = SealedHeader.omit({ sealed: true }).safeParse({ id: data.id, published: data.published });
  if (!parsed || !header.success) {
    throw new AdvisoriesError('USAGE', `${file}: the frontmatter needs a valid id and published time to be sealed (run \`advisories check\` on the clear text)`);
  }
  return sealText(clear, header.data, recipients);
}

/**
 * Build and notify publish: a sealed advisory whose time has come and that this run cannot open must stop
 * them, or the site would go out without it. (check only warns: a pull request from a fork has no key.)
 */
export function requireOpened(diagnostics: readonly Diagnostic[]): void {
  const due = diagnostics.filter((d) => d.ruleId === 'sealed-due-no-key').map((d) => d.file);
  if (due.length) {
    throw new AdvisoriesError(
      'SETUP',
      `${due.join(', ')}: sealed, due for publication, and no key to open ${due.length === 1 ? 'it' : 'them'}. Set ADVISORIES_AGE_IDENTITY (the CI secret), or run \`advisories unseal --published\` with a key and commit the clear text.`,
    );
  }
}

export async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
