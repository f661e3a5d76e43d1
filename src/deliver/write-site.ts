// Writes the site atomically. The new site is made in a folder beside `out` (same file system, so
// rename is atomic): the spare, the site before the live one, brought up to date in place (only what
// changed is written, removed or linked), or else a new empty folder. It is made durable, then swapped
// in by rename; the site it replaces becomes the spare. Any failure leaves the live site as it was.
import { hash } from 'node:crypto';
import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { REUSE, type SiteEntries } from '../render/site-input.ts';
import { listingLine, openPrevious, SITE_MARKER, spareOf, tempBeside, type Listed, type Previous, type PreviousSite } from './previous-site.ts';
import { fsyncPath, removeTree, syncFileSystem } from './site-fs.ts';

export { SITE_MARKER };

const MARKER_TEXT = 'Built by `advisories build`. This whole folder is replaced on every build.\n';

export class SiteWriteError extends Error {}

const WRITE_BATCH = 32;
const YIELD_EVERY = 64;
/** Characters above which a file's text is encoded once up front. */
const LARGE = 1 << 20;

const digest = (content: string | Uint8Array) => hash('sha256', content, 'base64url').slice(0, 22);

async function writeNew(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

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

/** An empty, `.` or `..` segment, or a leading slash. */
const BAD_PATH = /(^|\/)(\.{0,2})(\/|$)/;
const checkPath = (path: string) => {
  if (BAD_PATH.test(path)) throw new Error(`bad site path ${path}`);
};

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * Every entry in the spare but the marker, relative path → whether it is a folder. A folder whose mtime
 * is before the marker's had no entry added, removed or renamed since: its entries are the listed ones,
 * and only the other folders are read (the site's big folders hold thousands of names).
 */
function entriesOf(spare: PreviousSite): Map<string, boolean> {
  const found = new Map<string, boolean>();
  const listedIn = new Map<string, string[]>([['', []]]);
  for (const path of spare.paths()) {
    for (let d = parentOf(path); !listedIn.has(d); d = parentOf(d)) listedIn.set(d, []);
    listedIn.get(parentOf(path))!.push(path);
  }
  for (const [dir, files] of listedIn) {
    let info;
    try {
      info = lstatSync(join(spare.dir, dir));
    } catch {
      continue; // gone: nothing of it to remove
    }
    if (!info.isDirectory()) {
      if (dir) found.set(dir, false);
      continue;
    }
    if (dir) found.set(dir, true);
    if (info.mtimeMs < spare.builtAt) {
      for (const path of files) found.set(path, false);
      continue;
    }
    for (const entry of readdirSync(join(spare.dir, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      // A folder nobody listed goes whole, unread; a listed one is looked at on its own.
      if (path !== SITE_MARKER && !(entry.isDirectory() && listedIn.has(path))) found.set(path, entry.isDirectory());
    }
  }
  return found;
}

/**
 * `files` may be produced lazily (render/site.ts streams them), so a large site is never whole in
 * memory. `previous` is what earlier builds left, as render saw it (opened here when not given).
 */
export async function writeSite(out: string, files: SiteEntries, previous?: Previous): Promise<number> {
  const replacing = await checkReplaceable(out);
  await mkdir(dirname(out), { recursive: true });
  const earlier = previous ?? (await openPrevious(out));
  try {
    return await writeInto(out, files, earlier, replacing);
  } finally {
    if (!previous) await earlier.release();
  }
}

async function writeInto(out: string, files: SiteEntries, previous: Previous, replacing: boolean): Promise<number> {
  const spare = previous.takeSpare();
  const live = replacing ? previous.live : undefined;
  const temp = spare?.dir ?? tempBeside(out, 'tmp');
  if (!spare) await mkdir(temp); // before the try: a name already taken is not ours to remove
  const written: string[] = [];
  const manifest: string[] = [];
  const seen = new Set<string>();
  try {
    await chmod(temp, 0o755); // whatever the umask: a web server must read the site
    // What the spare holds now: each path is kept, replaced or, if the new site lacks it, removed.
    const before = spare ? entriesOf(spare) : new Map<string, boolean>();
    rmSync(join(temp, SITE_MARKER), { force: true });
    const dirs = new Set(['']);
    for (const [path, isDir] of before) if (isDir) dirs.add(path);

    /** Makes room at `path`: whatever the spare has there goes, and its folder exists. */
    const clear = (path: string) => {
      const full = join(temp, path);
      const was = before.get(path);
      if (was !== undefined) {
        rmSync(full, { recursive: was });
        before.delete(path);
        if (was) for (const inner of before.keys()) if (inner.startsWith(`${path}/`)) before.delete(inner); // rare: a folder became a file
      }
      const dir = parentOf(path);
      if (!dirs.has(dir)) {
        // A file where the new site needs a folder goes too.
        for (let d = dir; d; d = parentOf(d)) if (before.get(d) === false) unlinkSync(join(temp, d)), before.delete(d);
        mkdirSync(join(temp, dir), { recursive: true });
        for (let d = dir; d && !dirs.has(d); d = parentOf(d)) dirs.add(d);
      }
      return full;
    };
    /** The live site's file at `path` becomes the new site's too: a hard link, else a copy. */
    const linkLive = (path: string) => {
      const full = clear(path);
      try {
        linkSync(join(out, path), full);
      } catch {
        copyFileSync(join(out, path), full, constants.COPYFILE_EXCL);
      }
      written.push(full);
    };
    const put = (path: string, content: string | Uint8Array, line: number, key = '') => {
      // The index files (megabytes) are encoded once for the digest, the size and the write. A page is
      // left a string: tens of thousands of short-lived buffers outside the heap raised the peak RSS.
      const bytes = typeof content === 'string' && content.length > LARGE ? Buffer.from(content) : content;
      const listed: Listed = { digest: digest(bytes), size: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength, ...(key ? { key } : {}) };
      manifest[line] = listingLine(path, listed);
      if (spare?.intact(path)?.digest === listed.digest) return; // already there
      if (live?.intact(path)?.digest === listed.digest) return linkLive(path);
      const full = clear(path);
      writeFileSync(full, bytes, { flag: 'wx', mode: 0o644 });
      written.push(full);
    };
    // Not rendered again: an earlier build's file, made from the same key, is kept or linked.
    const carry = (path: string, line: number, key = '') => {
      const kept = spare?.intact(path);
      if (key && kept?.key === key) return void (manifest[line] = listingLine(path, kept));
      const listed = live?.intact(path);
      if (!listed || !key || listed.key !== key) throw new Error(`${path} was to be carried over from the previous site, which does not have it`);
      manifest[line] = listingLine(path, listed);
      try {
        linkLive(path);
      } catch (error) {
        throw new SiteWriteError(`${path} changed in ${out} during the build (${(error as Error).message}); run the build again`);
      }
    };
    // Content still being made off this thread (the OSV archive): written once the rest is.
    const pending: Promise<void>[] = [];
    let made = 0;
    for (const [path, content, key] of files) {
      // A turn of the event loop now and then: the archive's deflating on the thread pool is fed from its
      // callbacks, which a loop that never yields would hold back until every page is written.
      if (content !== REUSE && ++made % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      checkPath(path);
      if (seen.has(path)) throw new Error(`two renderers wrote ${path}`);
      seen.add(path);
      const line = manifest.push('') - 1; // the manifest keeps the site's order
      if (content === REUSE) carry(path, line, key);
      else if (content instanceof Promise) {
        const written = content.then((bytes) => put(path, bytes, line, key));
        // Its failure is dealt with after the loop; the loop yields meanwhile, when it must not go unhandled.
        written.catch(() => undefined);
        pending.push(written);
      }
      else put(path, content, line, key);
    }
    // allSettled: nothing may still be writing into the folder when a failure removes it.
    const failed = (await Promise.allSettled(pending)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    // What the spare has and the new site does not, deepest first (a path sorts after its folder); only
    // these few are sorted, not the tens of thousands kept.
    const needed = new Set(['']);
    for (const path of seen) for (let d = parentOf(path); !needed.has(d); d = parentOf(d)) needed.add(d);
    const gone = [...before].filter(([path, isDir]) => (isDir ? !needed.has(path) : !seen.has(path))).map(([path]) => path);
    for (const path of gone.sort().reverse()) rmSync(join(temp, path), { recursive: true, force: true });
    // The marker goes last: its mtime tells the next build which files are untouched since.
    const marker = join(temp, SITE_MARKER);
    written.push(marker);
    await writeNew(marker, [MARKER_TEXT.trimEnd(), ...manifest].join('\n') + '\n');
    if (!(await syncFileSystem(temp))) {
      for (let i = 0; i < written.length; i += WRITE_BATCH) await Promise.all(written.slice(i, i + WRITE_BATCH).map(fsyncPath));
      for (const dir of [...needed].sort().reverse()) await fsyncPath(join(temp, dir));
    }
  } catch (error) {
    await removeTree(temp);
    throw error;
  }
  await swapIn(out, temp, replacing, live !== undefined);
  return seen.size;
}

/**
 * The new site in, the old one aside (put back if that fails); the old one then becomes the spare the
 * next build brings up to date, when it is a site we built and the name is free.
 */
async function swapIn(out: string, temp: string, replacing: boolean, ours: boolean): Promise<void> {
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
  if (!replacing) return;
  if (ours) await rename(aside, spareOf(out)).catch(() => removeTree(aside));
  else await removeTree(aside);
}
