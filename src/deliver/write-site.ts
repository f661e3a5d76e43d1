// Writes the site atomically: everything goes into a temporary folder beside `out` (same file
// system, so rename is atomic), is made durable, then swapped in by rename. The old site is renamed
// aside and removed only after the new one is in place; any failure leaves the old site as it was.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, copyFileSync, linkSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { REUSE, type SiteEntries } from '../render/site-input.ts';
import { listingLine, readPreviousSite, SITE_MARKER, type PreviousSite } from './previous-site.ts';

export { SITE_MARKER };

const MARKER_TEXT = 'Built by `advisories build`. This whole folder is replaced on every build.\n';

export class SiteWriteError extends Error {}

const WRITE_BATCH = 32;

const digest = (content: string | Uint8Array) => createHash('sha256').update(content).digest('base64url').slice(0, 22);

// Synchronous: for tens of thousands of small files, promise-based open/write/close cost more on this
// thread than the calls themselves.
function linkOrWrite(previous: string, path: string, content: string | Uint8Array | undefined, reuse: boolean): void {
  if (reuse) {
    try {
      return linkSync(previous, path);
    } catch {
      // another file system, or links not allowed: write it
    }
  }
  if (content === undefined) copyFileSync(previous, path, constants.COPYFILE_EXCL);
  else writeFileSync(path, content, { flag: 'wx', mode: 0o644 });
}

async function writeNew(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** fsync a file or a folder (a folder's fsync makes the names in it durable). */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * One syncfs(2) for the whole folder (coreutils `sync -f`, Linux) instead of an fsync per file, which
 * costs a disk flush each: tens of thousands for a large site. Where that is missing or fails, fsync
 * every file as before.
 */
const syncFileSystem = (dir: string) =>
  new Promise<boolean>((resolve) => {
    if (process.platform !== 'linux') return resolve(false);
    execFile('sync', ['-f', dir], { timeout: 10 * 60_000 }, (error) => resolve(!error));
  });

/**
 * Removes the previous site once the new one is in place. coreutils `rm -rf` (unlinkat by directory,
 * no stat per entry) takes half the time of Node's recursive rm for tens of thousands of files; where
 * it is missing or fails, Node's rm does it.
 */
const removeTree = (dir: string) =>
  new Promise<void>((resolve) => {
    if (process.platform !== 'linux') return resolve(rm(dir, { recursive: true, force: true }));
    execFile('rm', ['-rf', '--', dir], { timeout: 10 * 60_000 }, (error) => resolve(error ? rm(dir, { recursive: true, force: true }) : undefined));
  });

const exists = (path: string) => stat(path).then((s) => s, () => null);

/** Refuse to replace a folder that is neither empty nor a site we built: it may be someone's work. */
async function checkReplaceable(out: string): Promise<boolean> {
  const s = await exists(out);
  if (!s) return false;
  if (!s.isDirectory()) throw new SiteWriteError(`${out} exists and is not a folder`);
  const names = await readdir(out);
  if (names.length > 0 && !names.includes(SITE_MARKER)) {
    throw new SiteWriteError(`${out} is not empty and was not written by \`advisories build\` (no ${SITE_MARKER} in it); not replacing it`);
  }
  return true;
}

const checkPath = (path: string) => {
  if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '' || p === '.')) throw new Error(`bad site path ${path}`);
};

/**
 * `files` may be produced lazily (render/site.ts streams them), so a large site is never whole in
 * memory. `previous` is the site at `out` as read before rendering (read here when not given).
 */
export async function writeSite(out: string, files: SiteEntries, previous?: PreviousSite): Promise<number> {
  const replacing = await checkReplaceable(out);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, `.${basename(out)}.tmp-`));
  const written: string[] = [];
  const manifest: string[] = [];
  const old = replacing ? (previous ?? (await readPreviousSite(out))) : undefined;
  // A file with the same digest as the previous build's is linked, not written again.
  const same = (path: string, hash: string) => old?.intact(path)?.digest === hash;
  try {
    await chmod(temp, 0o755); // mkdtemp makes it private; a web server must read the site
    const dirs = new Set([temp]);
    const seen = new Set<string>();
    // Content still being made off this thread (the OSV archive): written once the rest is.
    const pending: Promise<void>[] = [];
    const put = (path: string, full: string, bytes: string | Uint8Array, line: number, key = '') => {
      const hash = digest(bytes);
      manifest[line] = listingLine(path, { digest: hash, size: Buffer.byteLength(bytes), ...(key ? { key } : {}) });
      linkOrWrite(join(out, path), full, bytes, same(path, hash));
    };
    // Not rendered again: the previous build's file, made from the same key, is linked (or copied).
    const carry = (path: string, full: string, line: number, key = '') => {
      const listed = old?.intact(path);
      if (!listed || !key || listed.key !== key) throw new Error(`${path} was to be carried over from the previous site, which does not have it`);
      manifest[line] = listingLine(path, listed);
      try {
        linkOrWrite(join(out, path), full, undefined, true);
      } catch (error) {
        throw new SiteWriteError(`${path} changed in ${out} during the build (${(error as Error).message}); run the build again`);
      }
    };
    for (const [path, content, key] of files) {
      checkPath(path);
      if (seen.has(path)) throw new Error(`two renderers wrote ${path}`);
      seen.add(path);
      const full = join(temp, path);
      const dir = dirname(full);
      if (!dirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        for (let d = dir; d.length > temp.length; d = dirname(d)) dirs.add(d);
      }
      written.push(full);
      const line = manifest.push('') - 1; // the manifest keeps the site's order
      if (content === REUSE) carry(path, full, line, key);
      else if (content instanceof Promise) pending.push(content.then((bytes) => put(path, full, bytes, line, key)));
      else put(path, full, content, line, key);
    }
    // allSettled: nothing may still be writing into the folder when a failure removes it.
    const failed = (await Promise.allSettled(pending)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    // The marker goes last: its mtime tells the next build which files are untouched since.
    const marker = join(temp, SITE_MARKER);
    written.push(marker);
    await writeNew(marker, [MARKER_TEXT.trimEnd(), ...manifest].join('\n') + '\n');
    if (!(await syncFileSystem(temp))) {
      for (let i = 0; i < written.length; i += WRITE_BATCH) await Promise.all(written.slice(i, i + WRITE_BATCH).map(fsyncPath));
      for (const dir of [...dirs].sort().reverse()) await fsyncPath(dir);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const aside = join(parent, `.${basename(out)}.old-${randomBytes(4).toString('hex')}`);
  try {
    if (replacing) await rename(out, aside);
    try {
      await rename(temp, out);
    } catch (error) {
      if (replacing) await rename(aside, out); // put the old site back
      throw error;
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await fsyncPath(parent);
  if (replacing) await removeTree(aside);
  return written.length - 1;
}
