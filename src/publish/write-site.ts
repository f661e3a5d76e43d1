// Writes the site atomically. The new site is made in a folder beside `out` (same file system, so
// rename is atomic), made durable, then swapped in by rename; the old one is removed after. Any failure
// leaves the live site as it was.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AdvisoriesError } from '../core/errors.ts';
import { made, type ArchiveOf, type SiteContent, type SiteEntries } from '../render/site-input.ts';
import { ArchiveWriter } from './archive.ts';
import { fsyncPath, removeTree, syncFileSystem } from './site-fs.ts';

/** Every site we build holds this file: a folder without it is never replaced. */
export const SITE_MARKER = '.advisories-site';
const MARKER_TEXT = 'Built by `advisories build`. This whole folder is replaced on every build.\n';

/** `.dist.tmp-<pid>-<random>`: the pid tells a later build whether the folder's writer is still running. */
export const tempBeside = (out: string, what: 'tmp' | 'old') => join(dirname(out), `.${basename(out)}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`);

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what builds killed mid-way left beside `out` (a temporary folder each, as large as the site):
 * never one whose build is still running, and an old site set aside only once a live one is in place.
 */
export async function removeLeftovers(out: string): Promise<string[]> {
  const dir = dirname(out);
  const names = await readdir(dir).catch(() => [] as string[]);
  const live = names.includes(basename(out));
  const removed: string[] = [];
  const prefix = `.${basename(out)}.`;
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(tmp|old)-(?:(\d+)-)?[0-9a-f]{8}$/.exec(name.slice(prefix.length)) : null;
    if (!m || (m[1] === 'old' && !live)) continue;
    // This process's own (a build running beside this one in the same process) counts as running too.
    if (m[2] && running(Number(m[2]))) continue;
    await removeTree(join(dir, name));
    removed.push(name);
  }
  return removed;
}

const WRITE_BATCH = 32;


const exists = (path: string) => stat(path).then((s) => s, () => null);

/** Refuse to replace a folder that is neither empty nor a site we built: it may be someone's work. */
async function checkReplaceable(out: string): Promise<boolean> {
  const s = await exists(out);
  if (!s) return false;
  if (!s.isDirectory()) throw new AdvisoriesError('SITE_WRITE', `${out} exists and is not a folder`);
  const names = await readdir(out);
  if (names.length > 0 && !names.includes(SITE_MARKER)) {
    throw new AdvisoriesError('SITE_WRITE', `${out} is not empty and was not written by \`advisories build\` (no ${SITE_MARKER} in it); not replacing it`);
  }
  return true;
}

/** An empty, `.` or `..` segment, or a leading slash: render never makes one. */
const BAD_PATH = /(^|\/)(\.{0,2})(\/|$)/;
const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/** A file's contents as the writer puts them: anything but an archive. */
export type FileContent = Exclude<SiteContent, ArchiveOf>;

/** An archive being written: fed each of its files as they pass by, in any order. */
export interface Archive {
  wants(path: string): boolean;
  add(path: string, bytes: Uint8Array): void;
  /** A file of it written into the new site before the archive was declared: read back from there. */
  addWritten(path: string, full: string): void | Promise<void>;
  /** Whether the writer should wait for `room()` before handing over more. */
  full(): boolean;
  room(): Promise<void>;
  /** The path of the first entry no file was given for, if any. */
  missing(): string | undefined;
  finish(): Promise<void>;
}

/**
 * Where the bytes go. The reference (`localDisk`) creates each file at once on this thread, and packs
 * archives here; accel/ may hand the same work to a thread of its own, which `settle` waits for.
 */
export interface Disk {
  /** Creates `full`, a name not taken yet; a failure is thrown here or by `settle`. */
  write(full: string, bytes: Uint8Array): void;
  archive(full: string, entries: readonly { name: string; path: string }[]): Archive;
  /** Whether the writer should wait for `room()` before handing over more. */
  full(): boolean;
  room(): Promise<void>;
  /** Resolves once everything handed over is written; rejects with the first failure. */
  settle(): Promise<void>;
}

export const localDisk = (): Disk => ({
  write: (full, bytes) => writeFileSync(full, bytes, { flag: 'wx', mode: 0o644 }),
  archive: (full, entries) => new ArchiveWriter(full, entries),
  full: () => false,
  room: async () => undefined,
  settle: async () => undefined,
});

/**
 * How one file gets into the new site's folder (`full`, a name not taken yet): the reference makes it
 * and writes it. accel/ may pass another that gives the same bytes at the same path. `keep`: the bytes
 * are wanted back (an archive packs them), and must stay as they are.
 */
export type PutFile = (full: string, content: FileContent, path: string, keep: boolean, disk: Disk) => Uint8Array | undefined;

export const putFile: PutFile = (full, content, _path, _keep, disk) => {
  const text = made(content);
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  disk.write(full, bytes);
  return bytes;
};

/**
 * `files` may be produced lazily (render/site.ts streams them), so a large site is never whole in memory;
 * asynchronously too (the signed CSAF documents, csaf-sign.ts).
 */
export async function writeSite(
  out: string,
  files: SiteEntries | AsyncIterable<readonly [string, SiteContent]>,
  put: PutFile = putFile,
  disk: Disk = localDisk(),
): Promise<number> {
  const replacing = await checkReplaceable(out);
  await mkdir(dirname(out), { recursive: true });
  await removeLeftovers(out);
  const temp = tempBeside(out, 'tmp');
  await mkdir(temp, { mode: 0o755 }); // before the try: a name already taken is not ours to remove
  const seen = new Set<string>();
  const dirs = new Set(['']);
  const written: string[] = [];
  const archives: [string, Archive][] = [];
  try {
    for await (const [path, content] of files) {
      // A turn of the event loop now and then: the archive's compression on the thread pool is fed
      // from its callbacks, which a loop that never yields would hold back to the end.
      if (archives.length > 0 && seen.size % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (BAD_PATH.test(path)) throw new Error(`bad site path ${path}`);
      if (seen.has(path)) throw new Error(`two renderers wrote ${path}`);
      seen.add(path);
      const dir = parentOf(path);
      if (!dirs.has(dir)) {
        mkdirSync(join(temp, dir), { recursive: true, mode: 0o755 });
        for (let d = dir; d && !dirs.has(d); d = parentOf(d)) dirs.add(d);
      }
      const full = join(temp, path);
      written.push(full);
      if (typeof content === 'object' && 'archive' in content) {
        // Fed as its files pass by; those written before it was declared are read back.
        const archive = disk.archive(full, content.archive);
        archives.push([path, archive]);
        for (const { path: file } of content.archive) if (seen.has(file)) await archive.addWritten(file, join(temp, file));
        continue;
      }
      // Synchronous: tens of thousands of small files, each a round trip to the thread pool otherwise.
      const packing = archives.filter(([, archive]) => archive.wants(path));
      const bytes = put(full, content, path, packing.length > 0, disk);
      for (const [, archive] of packing) {
        archive.add(path, bytes!);
        if (archive.full()) await archive.room();
      }
      if (disk.full()) await disk.room();
    }
    for (const [path, archive] of archives) {
      const missing = archive.missing();
      if (missing) throw new Error(`${path} would pack ${missing}, which the site does not have`);
      await archive.finish();
    }
    await disk.settle();
    writeFileSync(join(temp, SITE_MARKER), MARKER_TEXT, { flag: 'wx', mode: 0o644 });
    written.push(join(temp, SITE_MARKER));
    if (!(await syncFileSystem(temp))) {
      for (let i = 0; i < written.length; i += WRITE_BATCH) await Promise.all(written.slice(i, i + WRITE_BATCH).map(fsyncPath));
      for (const dir of [...dirs].sort().reverse()) await fsyncPath(join(temp, dir));
    }
  } catch (error) {
    // Nothing may still be writing into the folder when it is removed.
    await Promise.allSettled([...archives.map(([, archive]) => archive.finish()), disk.settle()]);
    await removeTree(temp);
    throw error;
  }
  await swapIn(out, temp, replacing);
  return seen.size;
}

/** The new site in, the old one aside (put back if that fails), then removed. */
async function swapIn(out: string, temp: string, replacing: boolean): Promise<void> {
  const aside = tempBeside(out, 'old');
  try {
    if (replacing) await rename(out, aside);
    try {
      await rename(temp, out);
    } catch (error) {
      if (replacing) await rename(aside, out);
      throw error;
    }
  } catch (error) {
    await removeTree(temp);
    throw error;
  }
  await fsyncPath(dirname(out));
  if (replacing) await removeTree(aside);
}
