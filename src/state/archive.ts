// The state folder (mail ledger and friends) as one encrypted archive: it names subscribers, so it is never
// stored in the clear where a repository's readers (or a fork's pull-request workflow) could fetch it.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { createMessage, decrypt, encrypt, readMessage } from 'openpgp';
import { AdvisoriesError } from '../core/errors.ts';

// A fixed timestamp keeps the archive byte-identical for identical files, so "nothing changed" is detectable.
const EPOCH = new Date('1980-01-01T00:00:00Z');

// Machine-local files stay behind: a lock names a process of this machine (on the next runner the same PID
// could be alive), and SQLite rebuilds a -shm index from its -wal, which is kept.
export const isMachineLocal = (name: string) => name.endsWith('.lock') || name.endsWith('-shm') || name.endsWith('.local');

/** The acceleration store (accel/store.ts): rebuilt at will, carried by CI's cache, never in the state branch. */
const STORE_DIR = 'cache';

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !isMachineLocal(e.name) && relative(dir, e.parentPath).split(sep)[0] !== STORE_DIR)
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Deterministic zip of every file under dir; empty when the folder is missing or empty. */
export async function zipFolder(dir: string): Promise<Uint8Array | undefined> {
  let files: string[];
  try {
    files = await walk(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (files.length === 0) return undefined;
  const tree: Zippable = {};
  for (const file of files) tree[relative(dir, file).split(sep).join('/')] = [await readFile(file), { mtime: EPOCH }];
  return zipSync(tree, { level: 6 });
}

/** What a state archive may hold: the ledger of a large list fits; a bomb or a stray dump does not. */
export interface ArchiveLimits {
  entries: number;
  /** Bytes of one file, as its header declares them (fflate never inflates past that). */
  entryBytes: number;
  totalBytes: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = { entries: 1000, entryBytes: 1024 ** 3, totalBytes: 2 * 1024 ** 3 };

/** Why an entry may not be written under the state folder; undefined when it may. */
function unsafeName(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\')) return 'an absolute path';
  if (name.split('/').includes('..')) return 'a path leaving the state folder (`..`)';
  if (name.includes('\0') || name.split('/').some((part) => part === '' || part === '.')) return 'a malformed path';
  return undefined;
}

export interface Restored {
  files: string[];
  /** Machine-local files (locks) and the acceleration store found in the archive and left out. */
  skipped: string[];
}

/**
 * Writes the archive's files under `dir`. Every entry is checked first, from the archive's directory
 * alone (names and declared sizes, nothing inflated), and one bad entry refuses the whole archive before
 * anything is written. Locks are never restored: they name a process of the machine that saved them.
 */
export async function unzipInto(zip: Uint8Array, dir: string, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<Restored> {
  const entries: { name: string; originalSize: number }[] = [];
  try {
    unzipSync(zip, {
      filter: (file) => {
        entries.push({ name: file.name, originalSize: file.originalSize });
        return false;
      },
    });
  } catch (error) {
    throw new AdvisoriesError('STATE', `the state archive is damaged (${(error as Error).message}): nothing was restored`);
  }
  const refuse = (why: string) => {
    throw new AdvisoriesError('STATE', `refusing the state archive: ${why}. Nothing was restored; the state folder is as it was.`);
  };
  const files = entries.filter((e) => !e.name.endsWith('/'));
  if (files.length > limits.entries) refuse(`it holds ${files.length} files, over the limit of ${limits.entries}`);
  let total = 0;
  for (const { name, originalSize } of files) {
    const bad = unsafeName(name);
    if (bad) refuse(`entry "${name}" is ${bad}`);
    if (originalSize > limits.entryBytes) refuse(`entry "${name}" is ${originalSize} bytes, over the limit of ${limits.entryBytes} for one file`);
    total += originalSize;
  }
  if (total > limits.totalBytes) refuse(`its files hold ${total} bytes, over the limit of ${limits.totalBytes}`);
  const skipped = files.map((f) => f.name).filter((n) => isMachineLocal(n.split('/').pop()!) || n.split('/')[0] === STORE_DIR);
  const wanted = new Set(files.map((f) => f.name).filter((n) => !skipped.includes(n)));
  const contents = unzipSync(zip, { filter: (file) => wanted.has(file.name) });
  for (const name of [...wanted].sort()) {
    const target = join(dir, ...name.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents[name]!);
  }
  return { files: [...wanted].sort(), skipped: skipped.sort() };
}

export async function seal(data: Uint8Array, passphrase: string): Promise<Uint8Array> {
  return encrypt({ message: await createMessage({ binary: data }), passwords: [passphrase], format: 'binary' });
}

/** Why a sealed state could not be opened: the passphrase, or the file itself. */
export type UnsealFailure = 'passphrase' | 'damaged';

/**
 * Throws { failure } when the data cannot be opened: 'passphrase' when the key does not open it, 'damaged'
 * when it is not an OpenPGP message or fails its integrity check (then the passphrase did open it).
 */
export async function unseal(data: Uint8Array, passphrase: string): Promise<Uint8Array> {
  let message;
  try {
    message = await readMessage({ binaryMessage: data });
  } catch (error) {
    throw Object.assign(new Error((error as Error).message), { failure: 'damaged' as UnsealFailure });
  }
  try {
    const { data: plain } = await decrypt({ message, passwords: [passphrase], format: 'binary' });
    return plain;
  } catch (error) {
    const text = (error as Error).message;
    const failure: UnsealFailure = /session key decryption failed|incorrect key passphrase|no symmetrically encrypted session key/i.test(text) ? 'passphrase' : 'damaged';
    throw Object.assign(new Error(text), { failure });
  }
}
