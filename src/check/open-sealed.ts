// Opens the sealed files among a project's results with the keys the CLI passed in. Each becomes the
// result of checking its clear text like any advisory's, except that its diagnostics are veiled (no
// message or value that could quote the text reaches a log). Runs on every check, after the Checker,
// so nothing opened is ever cached.
import { diag, veiled } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { isEmbargoed } from '../core/timing.ts';
import { checkSource, placeOfKey, type FileResult, type SharedInput } from './check-file.ts';
import { normalizeText } from './markdown.ts';
import { readSourceFile } from './read-files.ts';
import { SealError, unsealText } from './sealed.ts';
import { join } from 'node:path';

export interface SealKeys {
  /** age secret keys (AGE-SECRET-KEY-1…); none: sealed files are checked by their clear part only. */
  identities?: readonly string[];
}

export async function openSealed(
  results: readonly FileResult[],
  shared: SharedInput,
  now: Date,
  keys: SealKeys,
  lastCommits?: ReadonlyMap<string, string>,
): Promise<FileResult[]> {
  return Promise.all(results.map((r) => (r.sealed ? openOne(r, shared, now, keys, lastCommits?.get(r.file)) : r)));
}

async function openOne(result: FileResult, shared: SharedInput, now: Date, keys: SealKeys, lastCommit?: string): Promise<FileResult> {
  const { file, id, published } = result;
  if (!id || !published || result.diagnostics.some((d) => d.severity === 'error')) return result;
  const identities = keys.identities ?? [];
  if (identities.length === 0) {
    const rule = isEmbargoed(published, now) ? 'sealed-no-key' : 'sealed-due-no-key';
    return { ...result, diagnostics: [...result.diagnostics, diag(rule, file, placeOfKey(shared.root, file, 'published'), { published })] };
  }
  const invalid = (reason: string, fix?: string): FileResult => ({ ...result, diagnostics: [...result.diagnostics, diag('sealed-invalid', file, START, { reason, fix })] });
  const read = readSourceFile(shared.root, join(shared.root, file));
  if (!read.source) return { ...result, diagnostics: [...result.diagnostics, ...read.diagnostics] };
  let clear: string;
  try {
    clear = await unsealText(read.source.text, identities);
  } catch (error) {
    if (error instanceof SealError) return invalid(error.message);
    throw error;
  }
  const inner = checkSource({ ...read.source, text: normalizeText(clear), bytes: Buffer.from(clear) }, shared, lastCommit ? { lastCommit } : {});
  // Clear text inside a seal is the point: the rule against clear embargoed text does not apply.
  const diagnostics: Diagnostic[] = [...result.diagnostics, ...inner.diagnostics.filter((d) => d.ruleId !== 'embargo-clear').map((d) => veiled(d, file))];
  if (inner.id !== undefined && (inner.id !== id || inner.published !== published)) {
    return invalid(
      `its clear id and publish time (${id}, ${published}) are not the sealed text's`,
      `Seal it again (\`advisories edit ${file}\` and save), so the clear part is taken from the text.`,
    );
  }
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { file, diagnostics, id, published, ...(inner.model && !failed ? { model: inner.model } : {}) };
}
