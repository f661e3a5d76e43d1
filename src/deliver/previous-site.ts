// What earlier builds left, as far as it can be trusted. Two folders: the live site at `--out`, and the
// spare beside it (`.<out>.previous`), the site before that, which the next build brings up to date in
// place instead of writing a whole new folder. In each, only the files its marker lists (path, digest,
// size, and the key of the input each was rendered from) that nobody has touched since (same size,
// mtime not after the marker's) are trusted; anything edited, missing or unlisted is made afresh.
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { access, lstat, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PreviousOutputs } from '../render/site-input.ts';
import { readZipEntries, type ZipEntry } from '../render/zip.ts';
import { removeTree } from './site-fs.ts';

/** Marks a folder as a site we built, so a rebuild may replace it (and nothing else). */
export const SITE_MARKER = '.advisories-site';

/** Where the site before the live one is kept, beside it on the same file system. */
export const spareOf = (out: string) => join(dirname(out), `.${basename(out)}.previous`);

/** A private name beside `out` for a folder being made into the next site. */
export const tempBeside = (out: string, what: 'tmp' | 'old') => join(dirname(out), `.${basename(out)}.${what}-${randomBytes(4).toString('hex')}`);

export interface Listed {
  digest: string;
  size: number;
  key?: string;
  /** The marker's line it was read from: a file carried over is listed again with that very line. */
  line?: string;
}

/** A file's line in the marker; readPreviousSite reads it back. */
export const listingLine = (path: string, { digest, size, key, line }: Listed) => line ?? `${path}\t${digest}\t${size}${key ? `\t${key}` : ''}`;

/** One folder an earlier build wrote. */
export interface PreviousSite {
  dir: string;
  /** The marker's mtime: when that build finished writing. */
  builtAt: number;
  /** Every path the marker lists. */
  paths(): Iterable<string>;
  /** The listing of a file that is still exactly as that build wrote it. */
  intact(path: string): Listed | undefined;
  /** The key the marker lists for a path, whatever became of the file since. */
  keyOf(path: string): string | undefined;
  /** An entry of that build's osv/all.zip, still deflated, if the archive is intact. */
  zipEntry(name: string): ZipEntry | undefined;
}

export async function readPreviousSite(dir: string, archive = 'osv/all.zip'): Promise<PreviousSite | undefined> {
  let text: string;
  let builtAt: number;
  try {
    const marker = join(dir, SITE_MARKER);
    [text, builtAt] = await Promise.all([readFile(marker, 'utf8'), stat(marker).then((s) => s.mtimeMs)]);
  } catch {
    return undefined;
  }
  const listed = new Map<string, Listed>();
  // Field by field: splitting 20,000 lines into arrays, and spreading in the optional key, took three times as long.
  for (let at = text.indexOf('\n') + 1; at > 0 && at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    // path TAB digest TAB size [TAB key]
    const t1 = line.indexOf('\t');
    const t2 = line.indexOf('\t', t1 + 1);
    if (t1 <= 0 || t2 < 0) continue;
    const t3 = line.indexOf('\t', t2 + 1);
    const digest = line.slice(t1 + 1, t2);
    const size = line.slice(t2 + 1, t3 < 0 ? line.length : t3);
    const t4 = t3 < 0 ? -1 : line.indexOf('\t', t3 + 1);
    const key = t3 < 0 ? undefined : line.slice(t3 + 1, t4 < 0 ? line.length : t4) || undefined;
    if (digest && size) listed.set(line.slice(0, t1), { digest, size: Number(size), key, line });
  }
  const checked = new Map<string, Listed | undefined>();
  const intact = (path: string): Listed | undefined => {
    if (checked.has(path)) return checked.get(path);
    const entry = listed.get(path);
    let ok = false;
    if (entry) {
      // Synchronous: tens of thousands of tiny stats cost more as promises than as calls.
      try {
        const info = lstatSync(`${dir}/${path}`);
        ok = info.isFile() && info.size === entry.size && info.mtimeMs <= builtAt;
      } catch {
        ok = false;
      }
    }
    checked.set(path, ok ? entry : undefined);
    return ok ? entry : undefined;
  };
  let zip: Map<string, ZipEntry> | undefined;
  return {
    dir,
    builtAt,
    paths: () => listed.keys(),
    intact,
    keyOf: (path) => listed.get(path)?.key,
    zipEntry(name) {
      if (!zip) {
        try {
          zip = intact(archive) ? readZipEntries(readFileSync(join(dir, archive))) : new Map();
        } catch {
          zip = new Map();
        }
      }
      return zip.get(name);
    },
  };
}

/** The live site and the spare, as render and the writer see them. */
export interface Previous extends PreviousOutputs {
  live?: PreviousSite;
  /** The writer takes the claimed spare to build in (then it is the writer's to keep or remove). */
  takeSpare(): PreviousSite | undefined;
  /** Gives the spare back when no build took it. */
  release(): Promise<void>;
}

/**
 * Claims the spare by renaming it to a private name: a build running at the same time cannot take it
 * too, and a build that dies half-way leaves a folder no later build trusts. Only a folder with our
 * marker is taken.
 */
async function claimSpare(out: string): Promise<PreviousSite | undefined> {
  const spare = spareOf(out);
  try {
    if (!(await lstat(spare)).isDirectory()) return undefined;
    await access(join(spare, SITE_MARKER));
  } catch {
    return undefined;
  }
  const claimed = tempBeside(out, 'tmp');
  try {
    await rename(spare, claimed);
  } catch {
    return undefined; // another build took it first
  }
  const site = await readPreviousSite(claimed);
  if (!site) await removeTree(claimed);
  return site;
}

export async function openPrevious(out: string): Promise<Previous> {
  const [live, spare] = await Promise.all([readPreviousSite(out), claimSpare(out)]);
  let unclaimed = spare;
  // The spare first: a file there already is where the new site needs it. For archive entries the live
  // site first: its archive is the newest, so it holds most of them, and one archive is read, not two.
  const sites = [spare, live].filter((s) => s !== undefined);
  const archives = [...sites].reverse();
  return {
    live,
    has: (path, key) => sites.some((s) => s.intact(path)?.key === key),
    zipEntry(path, name, key) {
      for (const site of archives) {
        // The archive's entry was deflated from the record the marker lists: whether someone edited that
        // record's file since does not matter here, so it is not stat'ed (10,000 calls at 10,000 advisories).
        const entry = site.keyOf(path) === key ? site.zipEntry(name) : undefined;
        if (entry) return entry;
      }
      return undefined;
    },
    takeSpare() {
      const taken = unclaimed;
      unclaimed = undefined;
      return taken;
    },
    async release() {
      if (!unclaimed) return;
      const { dir } = unclaimed;
      unclaimed = undefined;
      await rename(dir, spareOf(out)).catch(() => removeTree(dir));
    },
  };
}
