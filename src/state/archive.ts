// The state folder (mail ledger and friends) as one encrypted archive: it names subscribers, so it is never
// stored in the clear where a repository's readers (or a fork's pull-request workflow) could fetch it.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { createMessage, decrypt, encrypt, readMessage } from 'openpgp';

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

export async function unzipInto(zip: Uint8Array, dir: string): Promise<string[]> {
  const files = unzipSync(zip);
  const names = Object.keys(files).filter((n) => !n.endsWith('/'));
  for (const name of names) {
    // Defence in depth: an archive may never write outside the state folder.
    if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`refusing archive entry "${name}"`);
    const target = join(dir, ...name.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, files[name]!);
  }
  return names.sort();
}

export async function seal(data: Uint8Array, passphrase: string): Promise<Uint8Array> {
  return encrypt({ message: await createMessage({ binary: data }), passwords: [passphrase], format: 'binary' });
}

/** Throws when the passphrase is wrong or the data was tampered with (OpenPGP's integrity protection). */
export async function unseal(data: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const { data: plain } = await decrypt({ message: await readMessage({ binaryMessage: data }), passwords: [passphrase], format: 'binary' });
  return plain;
}
