// The digest of each advisory file's bytes without reading it, when the file system says it has not
// changed: what git's index does. An entry holds the file's inode, size, mtime and ctime as they were
// when its bytes were hashed; a file whose stat data all match is taken as unchanged. ctime cannot be
// set back by any tool (utimes sets it to now), so an edit that keeps size and mtime is still seen.
// The "racy" case, an edit in the same clock tick as the stat, is avoided the way git avoids it: a file
// changed less than RACY_MS before the run started is never recorded, so it is read and hashed until
// it has been quiet for that long. The index only ever spares reading; a missing, damaged or foreign
// one means every file is read, as before.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { replaceFile } from './line-store.ts';

const FORMAT = 'advisories-source-index/1';
/** Longer than any file system's timestamp step (FAT: 2 s) plus clock skew between it and us. */
const RACY_MS = 3000;

interface Known {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  digest: string;
  /** The line as read, written back unchanged while the file is. */
  line: string;
}

// Compared as numbers: formatting four numbers per file cost more than the lstat itself. A number read
// back from its shortest decimal form is the same double, so the comparison is exact.
const same = (info: Stats, known: Known) =>
  info.ino === known.ino && info.size === known.size && info.mtimeMs === known.mtimeMs && info.ctimeMs === known.ctimeMs;

export interface SourceIndex {
  /**
   * SHA-256 of a regular file's bytes (hex), or undefined for anything else or anything over
   * `maxBytes`, whose verdict needs the full check.
   */
  digest(path: string, maxBytes: number): string | undefined;
  /** How many digests came from the index, unread. */
  readonly trusted: number;
  /** Writes the index back when anything in it changed; failing to is not an error. */
  save(): Promise<void>;
}

/** `racyMs` is for tests, which cannot wait for files to age. */
export async function openSourceIndex(file: string, { racyMs = RACY_MS } = {}): Promise<SourceIndex> {
  const started = Date.now();
  const known = new Map<string, Known>();
  try {
    const lines = (await readFile(file, 'utf8')).split('\n');
    if (lines[0] === FORMAT) {
      for (const line of lines.slice(1)) {
        const f = line.split('\t');
        if (f.length !== 6 || !/^[0-9a-f]{64}$/.test(f[5]!)) continue;
        const [ino, size, mtimeMs, ctimeMs] = f.slice(1, 5).map(Number) as [number, number, number, number];
        if ([ino, size, mtimeMs, ctimeMs].every(Number.isFinite)) known.set(f[0]!, { ino, size, mtimeMs, ctimeMs, digest: f[5]!, line });
      }
    }
  } catch {
    // no index yet: every file is read
  }
  const next = new Map<string, string>();
  let trusted = 0;
  let changed = false;
  return {
    digest(path, maxBytes) {
      let info: Stats;
      try {
        info = lstatSync(path);
      } catch {
        return undefined;
      }
      if (!info.isFile() || info.size > maxBytes) return undefined;
      const entry = known.get(path);
      const unchanged = entry !== undefined && same(info, entry);
      let digest: string;
      if (unchanged) (digest = entry.digest), trusted++;
      else {
        try {
          digest = createHash('sha256').update(readFileSync(path)).digest('hex');
        } catch {
          return undefined;
        }
        changed = true;
      }
      // Recorded only once quiet for RACY_MS: an edit in the same tick as this stat must not look unchanged.
      if (Math.max(info.mtimeMs, info.ctimeMs) < started - racyMs) {
        next.set(path, unchanged ? entry.line : `${path}\t${info.ino}\t${info.size}\t${info.mtimeMs}\t${info.ctimeMs}\t${digest}`);
      } else changed ||= known.has(path);
      return digest;
    },
    get trusted() {
      return trusted;
    },
    async save() {
      if (!changed && next.size === known.size) return;
      await replaceFile(file, [FORMAT, ...next.values()].join('\n') + '\n').catch(() => undefined); // an optimisation only
    },
  };
}
