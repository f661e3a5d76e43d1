// Reads advisories/ safely: size limit, symlinks kept inside, binary and non-UTF-8 refused with a message.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
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
  bytes: Uint8Array;
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
      diagnostics: [diag('file-unreadable', `${ADVISORY_DIR}/`, START, { what: 'the advisories folder', reason: unreadableReason(error) })],
    };
  }
}

const kindOf = (info: Stats) =>
  info.isFIFO() ? 'a named pipe (FIFO)' : info.isSocket() ? 'a socket' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isDirectory() ? 'a folder' : 'not a regular file';

/** What went wrong reading a file, in words: never a bare errno code. */
export function unreadableReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'ELOOP') return 'the symbolic link is a loop (it leads back to itself)';
  if (e.code === 'ENOTREG' || e.code === 'EISDIR') return e.message;
  return e.code ?? String(error);
}

/** A project file (config, SECURITY.md) as text, never waiting on a FIFO or a device. */
export async function readRegularText(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw Object.assign(new Error(`it is ${kindOf(info)}, not a regular file`), { code: 'ENOTREG' });
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

// Synchronous on purpose: per-file work runs in batches on worker threads, where async file calls only
// add promise and thread-pool overhead (they were a tenth of check's time at 10,000 files).
/** An advisory file's bytes as the check reads them, or why it cannot; `link` when the path is a symbolic link. */
export function readAdvisoryBytes(root: string, path: string): { file: string; bytes?: Buffer; link?: true; diagnostics: Diagnostic[] } {
  const file = rootRelative(root, path);
  const fail = (d: Diagnostic) => ({ file, diagnostics: [d] });
  try {
    const link = lstatSync(path).isSymbolicLink();
    if (link) {
      const dir = realpathSync(join(root, ADVISORY_DIR));
      let target: string;
      try {
        target = realpathSync(path);
      } catch (error) {
        const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
        // A link's fault is the link's, not a permission: say what to do with it.
        return fail(
          diag('file-unreadable', file, START, {
            reason: loop ? 'the symbolic link is a loop (it leads back to itself)' : 'the symbolic link points to nothing',
            fix: loop
              ? 'Replace the link with the advisory file itself, or point it at an existing file in advisories/ (`ls -l` shows where each link leads).'
              : 'Point the link at an existing file in advisories/, or replace it with the advisory file itself.',
          }),
        );
      }
      if (!target.startsWith(dir + sep)) return fail(diag('symlink-outside', file, START, { target: toPosix(relative(root, target)) }));
    }
    // Non-blocking open, then fstat of what was opened: a FIFO or a device never makes the checker wait,
    // and nothing can be swapped in between the test and the read.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) return fail(diag('file-not-regular', file, START, { kind: kindOf(info) }));
      if (info.size > MAX_ADVISORY_BYTES) {
        return fail(diag('file-too-large', file, START, { size: info.size, limit: MAX_ADVISORY_BYTES }));
      }
      return { file, bytes: readFileSync(fd), ...(link ? { link } : {}), diagnostics: [] };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return fail(diag('file-unreadable', file, START, { reason: unreadableReason(error) }));
  }
}

/** The text of a file's bytes (from readAdvisoryBytes): binary and non-UTF-8 refused with a message. */
export function sourceFromBytes(file: string, path: string, bytes: Uint8Array): { source?: SourceFile; diagnostics: Diagnostic[] } {
  if (bytes.includes(0)) return { diagnostics: [diag('file-binary', file, START)] };
  let decoded: string;
  try {
    decoded = decoder.decode(bytes);
  } catch {
    return { diagnostics: [diag('file-encoding', file, START)] };
  }
  return { source: { file, path, text: normalizeText(decoded), bytes }, diagnostics: [] };
}

export function readSourceFile(root: string, path: string): { source?: SourceFile; diagnostics: Diagnostic[] } {
  const read = readAdvisoryBytes(root, path);
  return read.bytes ? sourceFromBytes(read.file, path, read.bytes) : { diagnostics: read.diagnostics };
}
