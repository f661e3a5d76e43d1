// Reads advisories/ safely: size limit, symlinks kept inside, binary and non-UTF-8 refused with a message.
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { normalizeText } from './markdown.ts';

export const MAX_ADVISORY_BYTES = 1024 * 1024;
export const ADVISORY_DIR = 'advisories';

export interface SourceFile {
  /** Relative to the root, forward slashes: what every report names. */
  file: string;
  path: string;
  text: string;
  bytes: Buffer;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** A path under `root` as reports name it (relative, forward slashes); slicing where path.relative would only slice. */
export const rootRelative = (root: string, path: string) => {
  const prefix = root.endsWith(sep) ? root : root + sep;
  return toPosix(path.startsWith(prefix) && !path.includes(`${sep}..`) ? path.slice(prefix.length) : relative(root, path));
};

export async function listAdvisoryFiles(root: string): Promise<{ paths: string[]; diagnostics: Diagnostic[] }> {
  const dir = join(root, ADVISORY_DIR);
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const paths = entries
      .filter((e) => e.name.endsWith('.md') && !e.name.startsWith('.') && !e.isDirectory())
      .map((e) => join(dir, e.name))
      .sort();
    return { paths, diagnostics: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { paths: [], diagnostics: [] };
    return {
      paths: [],
      diagnostics: [diag('file-unreadable', `${ADVISORY_DIR}/`, START, { what: 'the advisories folder', reason: code ?? String(error) })],
    };
  }
}

// Synchronous on purpose: per-file work runs in batches on worker threads, where async file calls only
// add promise and thread-pool overhead (they were a tenth of check's time at 10,000 files).
export function readSourceFile(root: string, path: string): { source?: SourceFile; diagnostics: Diagnostic[] } {
  const file = rootRelative(root, path);
  const fail = (d: Diagnostic) => ({ diagnostics: [d] });
  try {
    const link = lstatSync(path);
    if (link.isSymbolicLink()) {
      const dir = realpathSync(join(root, ADVISORY_DIR));
      let target: string;
      try {
        target = realpathSync(path);
      } catch {
        return fail(diag('file-unreadable', file, START, { reason: 'the symbolic link points to nothing' }));
      }
      if (!target.startsWith(dir + sep)) return fail(diag('symlink-outside', file, START, { target: toPosix(relative(root, target)) }));
    }
    const info = link.isSymbolicLink() ? statSync(path) : link;
    if (info.size > MAX_ADVISORY_BYTES) {
      return fail(diag('file-too-large', file, START, { size: info.size, limit: MAX_ADVISORY_BYTES }));
    }
    const bytes = readFileSync(path);
    if (bytes.includes(0)) return fail(diag('file-binary', file, START));
    let decoded: string;
    try {
      decoded = decoder.decode(bytes);
    } catch {
      return fail(diag('file-encoding', file, START));
    }
    return { source: { file, path, text: normalizeText(decoded), bytes }, diagnostics: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(diag('file-unreadable', file, START, { reason: code === 'EACCES' ? 'permission denied' : (code ?? String(error)) }));
  }
}
