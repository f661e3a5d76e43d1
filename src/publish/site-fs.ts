// File-system steps of writing a site that are worth doing with coreutils when they are there:
// tens of thousands of files make Node's per-file calls the slow part.
import { execFile } from 'node:child_process';
import { open, rm } from 'node:fs/promises';

/** fsync a file or a folder (a folder's fsync makes the names in it durable). */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * One syncfs(2) for the whole folder (coreutils `sync -f`, Linux) instead of an fsync per file, which
 * costs a disk flush each: tens of thousands for a large site. false where that is missing or fails.
 */
export const syncFileSystem = (dir: string) =>
  new Promise<boolean>((resolve) => {
    if (process.platform !== 'linux') return resolve(false);
    execFile('sync', ['-f', dir], { timeout: 10 * 60_000 }, (error) => resolve(!error));
  });

/**
 * Removes a folder and everything in it. coreutils `rm -rf` (unlinkat by directory, no stat per entry)
 * takes half the time of Node's recursive rm for tens of thousands of files; where it is missing or
 * fails, Node's rm does it.
 */
export const removeTree = (dir: string) =>
  new Promise<void>((resolve) => {
    if (process.platform !== 'linux') return resolve(rm(dir, { recursive: true, force: true }));
    execFile('rm', ['-rf', '--', dir], { timeout: 10 * 60_000 }, (error) => resolve(error ? rm(dir, { recursive: true, force: true }) : undefined));
  });
