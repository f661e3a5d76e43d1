// The check cache: each file's check result stored in the state folder, keyed by the file's bytes, its
// git date, the config and policy, and the checker's own code. Only the clock is not in the key, so the
// one clock-dependent fact (embargo) is re-derived on every run. Entries carry a checksum; a corrupt,
// truncated or foreign cache is ignored, so the cache makes check faster, never different.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { diag } from '../diagnostics/catalogue.ts';
import type { Place } from '../diagnostics/diagnostic.ts';
import { MAX_ADVISORY_BYTES, toPosix } from '../load/read-files.ts';
import type { FileResult, SharedInput } from './check-file.ts';

export const CHECK_CACHE = 'cache/check.jsonl';
const FORMAT = 'advisories-check-cache/1';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let codeHash: string | undefined;
/** The package version, dependencies and every source file of the checking stages. */
function checkerFingerprint(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  const src = new URL('../', import.meta.url);
  hash.update(readFileSync(new URL('../../package.json', import.meta.url)));
  for (const dir of ['config', 'diagnostics', 'load', 'model', 'policy', 'project', 'validate']) {
    const files = readdirSync(new URL(`${dir}/`, src), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const name of files.map((e) => join(e.parentPath, e.name)).sort()) hash.update(name.slice(src.pathname.length)).update(readFileSync(name));
  }
  return (codeHash = hash.digest('hex'));
}

interface Entry {
  /** The result with the embargo facts taken out. */
  result: FileResult;
  published?: string;
  publishedPlace?: Place;
}

export interface CheckCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
}

/** Removes what depends on the clock, so the entry is valid at any `now`. */
function toEntry(result: FileResult): Entry {
  const embargo = result.diagnostics.find((d) => d.ruleId === 'embargoed');
  const clean: FileResult = { ...result, diagnostics: result.diagnostics.filter((d) => d.ruleId !== 'embargoed') };
  if (clean.advisory) clean.advisory = { ...clean.advisory, embargoed: false };
  const entry: Entry = { result: clean };
  if (result.published) entry.published = result.published;
  if (embargo) entry.publishedPlace = { line: embargo.line, column: embargo.column, endLine: embargo.endLine, endColumn: embargo.endColumn } as Place;
  return entry;
}

/** Puts the clock back: returns undefined when the embargo needs a position the entry lacks. */
function fromEntry(entry: Entry, now: Date): FileResult | undefined {
  // Each entry is freshly parsed JSON, owned by this run: adjusting it in place is safe.
  const result = entry.result;
  const embargoed = entry.published !== undefined && Date.parse(entry.published) > now.getTime();
  if (!embargoed) return result;
  if (!entry.publishedPlace) return undefined;
  result.diagnostics.push(diag('embargoed', result.file, entry.publishedPlace, { published: entry.published }));
  if (result.advisory) result.advisory.embargoed = true;
  return result;
}

export async function openCheckCache(state: string, shared: SharedInput) {
  const path = join(state, CHECK_CACHE);
  const stats: CheckCacheStats = { hits: 0, misses: 0, corrupt: 0 };
  const context = sha256(JSON.stringify([checkerFingerprint(), shared.config, shared.policy]));
  // key → the stored line, parsed only when used; unchanged lines are written back as they were.
  const lines = new Map<string, string>();
  try {
    const text = (await readFile(path, 'utf8')).split('\n');
    const header = JSON.parse(text[0] ?? '') as { format?: string; context?: string };
    if (header.format === FORMAT && header.context === context) {
      for (const line of text.slice(1)) {
        const key = line.slice(0, 64);
        if (key) lines.set(key, line);
      }
    }
  } catch {
    // No cache yet, or not a cache: start empty.
  }
  const checksum = (key: string, body: string) => sha256(`${key}\0${body}`).slice(0, 32);
  /** A line is `key TAB checksum TAB entry-json`; JSON never holds a raw tab or newline. */
  const read = (key: string): Entry | undefined => {
    const line = lines.get(key);
    if (line === undefined) return undefined;
    const [, check, body] = line.split('\t');
    try {
      if (body !== undefined && checksum(key, body) === check) return JSON.parse(body) as Entry;
    } catch {
      // fall through: a damaged entry
    }
    stats.corrupt++;
    return undefined;
  };

  /** Symlinks and oversized files always go through the full check: their verdict depends on more than bytes. */
  const keyOf = (filePath: string, lastCommit: string | undefined): string | undefined => {
    try {
      const info = lstatSync(filePath);
      if (!info.isFile() || info.size > MAX_ADVISORY_BYTES) return undefined;
      const file = toPosix(relative(shared.root, filePath));
      return sha256(Buffer.concat([Buffer.from(`${context}\0${file}\0${lastCommit ?? ''}\0`), readFileSync(filePath)]));
    } catch {
      return undefined;
    }
  };

  const used = new Map<string, string>();
  return {
    stats,
    keyOf,
    get(key: string | undefined): FileResult | undefined {
      const entry = key === undefined ? undefined : read(key);
      const result = entry && fromEntry(entry, shared.now);
      if (result) {
        stats.hits++;
        used.set(key!, lines.get(key!)!);
      } else stats.misses++;
      return result;
    },
    put(key: string | undefined, result: FileResult | undefined) {
      if (key === undefined || !result) return;
      const body = JSON.stringify(toEntry(result));
      used.set(key, `${key}\t${checksum(key, body)}\t${body}`);
    },
    /** Writes back exactly the entries of this run, atomically; a cache that cannot be saved is not an error. */
    async save(): Promise<void> {
      if (stats.misses === 0 && used.size === lines.size) return;
      try {
        await mkdir(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        // Written a batch of lines at a time: at 40,000 advisories the whole text would be 200 MB more at peak.
        const handle = await open(temp, 'w');
        try {
          let batch = [JSON.stringify({ format: FORMAT, context })];
          for (const line of used.values()) {
            batch.push(line);
            if (batch.length >= 1000) await handle.write(batch.join('\n') + '\n'), (batch = []);
          }
          if (batch.length > 0) await handle.write(batch.join('\n') + '\n');
        } finally {
          await handle.close();
        }
        await rename(temp, path); // a crash mid-write leaves the previous cache, never half of one
      } catch {
        // The cache is an optimisation only.
      }
    },
  };
}
