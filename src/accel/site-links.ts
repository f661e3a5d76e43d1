// A rebuild's file work follows the change, not the site's size: a file whose new bytes are exactly
// those of the live site's file at the same path becomes a hard link to it instead of a new file.
// Compared by content (never by size or time stamp): byte for byte with the new bytes, or, for a file
// render says is made from a few inputs alone (a `Made`), by SHA-256 with the bytes the reference made
// from exactly those inputs in an earlier build, as the store keeps them (then nothing is rendered).
// Only regular files are taken (opened without following a link), so a link or anything else planted
// in the live site is never carried. Writing tens of thousands of files, and the disk flush of their
// data, is most of a rebuild's time otherwise.
import { hash } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, openSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { putFile, type PutFile } from '../publish/write-site.ts';
import { isMade, type Made } from '../render/site-input.ts';
import { Store } from './store.ts';

export interface LinkStats {
  linked: number;
  written: number;
  /** Of the linked: Made files known by their inputs from the store, so not rendered. */
  known: number;
  /** Made files rendered (not in the store, or the live file was not the one it knew). */
  made: number;
}

/** The store's answer for a Made file: the SHA-256 of the bytes the reference made from its inputs. */
export type SiteStore = Store<string>;

const sha256 = (bytes: Uint8Array) => hash('sha256', bytes, 'base64');

/** JSON that refuses what it cannot tell apart (a Map or a Set writes as `{}`, a function as nothing). */
function plainJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map || v instanceof Set || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      throw new Error('a Made file lists something in `from` that is not plain data');
    }
    return v;
  }) ?? 'undefined';
}

/** The store key of a Made file: its path and each of its inputs (objects shared by many files digested once). */
function keyer() {
  const digests = new WeakMap<object, string>();
  const digest = (part: unknown) => {
    if (part === null || typeof part !== 'object') return hash('sha256', plainJson(part), 'hex');
    let d = digests.get(part);
    if (d === undefined) digests.set(part, (d = hash('sha256', plainJson(part), 'hex')));
    return d;
  };
  return (path: string, made: Made) => Store.key('site-file', path, ...made.from.map(digest));
}

/**
 * Whether the live site may have a file at this path: its folder's names, listed once. Only spares the
 * open of a file that is not there (every file of a first build); a file listed is still opened and read.
 */
function lister() {
  const folders = new Map<string, Set<string> | undefined>();
  return (path: string): boolean => {
    const dir = dirname(path);
    let names = folders.get(dir);
    if (!folders.has(dir)) {
      try {
        names = new Set(readdirSync(dir));
      } catch {
        names = undefined;
      }
      folders.set(dir, names);
    }
    return names?.has(basename(path)) ?? false;
  };
}

/** Reads a file into `scratch` (grown as needed): a view of its bytes, or undefined if it is not a regular file. */
function reader() {
  let scratch = Buffer.allocUnsafe(1 << 20);
  const listed = lister();
  return (path: string, size?: number): Buffer | undefined => {
    if (!listed(path)) return undefined;
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return undefined; // not there, a link, or not readable
    }
    try {
      const info = fstatSync(fd);
      if (!info.isFile() || (size !== undefined && info.size !== size)) return undefined;
      // One byte more than it says: a file grown meanwhile is not taken.
      if (scratch.length < info.size + 1) scratch = Buffer.allocUnsafe(info.size + 1 + (info.size >> 2));
      let n = 0;
      for (let r; n <= info.size && (r = readSync(fd, scratch, n, info.size + 1 - n, null)) > 0; ) n += r;
      return n === info.size ? scratch.subarray(0, n) : undefined;
    } finally {
      closeSync(fd);
    }
  };
}

export function linkUnchanged(out: string, stats: LinkStats, store?: SiteStore): PutFile {
  const keyOf = keyer();
  const readLive = reader();
  return (full, content, path, keep, disk) => {
    const live = join(out, path);
    let key: string | undefined;
    if (store && isMade(content)) {
      key = keyOf(path, content);
      const known = store.get(key);
      const old = known === undefined ? undefined : readLive(live);
      if (old && sha256(old) === known) {
        linkSync(live, full);
        stats.linked++;
        stats.known++;
        return keep ? Buffer.from(old) : undefined; // a copy: the scratch buffer is read into again
      }
    }
    const text = isMade(content) ? (stats.made++, content.make()) : content;
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    if (key !== undefined) store!.put(key, sha256(bytes));
    if (readLive(live, bytes.byteLength)?.equals(bytes)) {
      linkSync(live, full);
      stats.linked++;
      return bytes;
    }
    stats.written++;
    return putFile(full, bytes, path, keep, disk);
  };
}
