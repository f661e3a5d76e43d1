// The check cache: each file's check result stored in the state folder, keyed by the file's bytes, its
// git date, the config and policy, and the checker's own code. Only the clock is not in the key, so the
// one clock-dependent fact (embargo) is re-derived on every run. Entries carry a checksum; a corrupt,
// truncated or foreign cache is ignored, so the cache makes check faster, never different. New entries
// are appended; the file is rewritten only when it holds as many stale entries as live ones. The
// files' digests come from the source index where the file system says a file is unchanged.
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { diag } from '../diagnostics/catalogue.ts';
import type { Place } from '../diagnostics/diagnostic.ts';
import { MAX_ADVISORY_BYTES, rootRelative } from '../load/read-files.ts';
import type { FileResult, SharedInput } from './check-file.ts';
import { appendLines, bodyOf, lineOf, readLines, writeLines } from './line-store.ts';
import { checkerFingerprint } from './fingerprint.ts';
import { joinModel, splitModel, type Head } from './lazy-model.ts';
import { openSourceIndex } from './source-index.ts';

export const CHECK_CACHE = 'cache/check.jsonl';
/** Inode and times: meaningless on another machine, so it stays out of the state archive. */
export const SOURCE_INDEX = 'cache/sources.tsv.local';
const FORMAT = 'advisories-check-cache/4';
// One-shot hashing: no Hash object per call, a third of the cost for the many short keys.
const sha256 = (data: string | Buffer) => hash('sha256', data, 'hex');

interface Entry {
  /** The result with the embargo facts taken out, and only the model's head (the rest follows the entry). */
  result: Omit<FileResult, 'advisory'> & { advisory?: Head };
  published?: string;
  publishedPlace?: Place;
}

export interface CheckCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
}

/**
 * A line's body: the entry, without what depends on the clock so it is valid at any `now`, then a tab and
 * the model's bulky parts (project/lazy-model.ts). JSON holds no raw tab, so the tab splits them.
 */
function toBody(result: FileResult): string {
  const embargo = result.diagnostics.find((d) => d.ruleId === 'embargoed');
  const { advisory, ...rest } = result;
  const [head, bulk] = advisory ? splitModel({ ...advisory, embargoed: false }) : [];
  const clean = { ...rest, diagnostics: result.diagnostics.filter((d) => d.ruleId !== 'embargoed') };
  const entry: Entry = { result: head ? { ...clean, advisory: head } : clean };
  if (result.published) entry.published = result.published;
  if (embargo) entry.publishedPlace = { line: embargo.line, column: embargo.column, endLine: embargo.endLine, endColumn: embargo.endColumn } as Place;
  return bulk === undefined ? JSON.stringify(entry) : `${JSON.stringify(entry)}\t${bulk}`;
}

/** The entry of a line's body, its model joined again with its bulky parts, unparsed until used. */
function fromBody(body: string): Entry {
  const tab = body.indexOf('\t');
  const entry = JSON.parse(tab < 0 ? body : body.slice(0, tab)) as Entry;
  if (entry.result.advisory) {
    if (tab < 0) throw new Error('a model without its parts');
    entry.result.advisory = joinModel(entry.result.advisory, body.slice(tab + 1));
  }
  return entry;
}

/** Puts the clock back: returns undefined when the embargo needs a position the entry lacks. */
function fromEntry(entry: Entry, now: Date): FileResult | undefined {
  // Each entry is freshly parsed JSON, owned by this run: adjusting it in place is safe.
  const result = entry.result as FileResult;
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
  const header = { format: FORMAT, context: sha256(JSON.stringify([checkerFingerprint(), shared.config, shared.policy])) };
  // key → the stored line, verified and parsed only when used; unchanged lines are written back as they were.
  const [{ lines, stale, complete }, sources] = await Promise.all([readLines(path, header), openSourceIndex(join(state, SOURCE_INDEX))]);
  const read = (key: string): Entry | undefined => {
    const line = lines.get(key);
    if (line === undefined) return undefined;
    const body = bodyOf(key, line);
    try {
      if (body !== undefined) return fromBody(body);
    } catch {
      // fall through: a damaged entry
    }
    stats.corrupt++;
    return undefined;
  };

  /** Symlinks and oversized files always go through the full check: their verdict depends on more than bytes. */
  /** `lastCommits`: by root-relative path, as git gives them. */
  const keyOf = (filePath: string, lastCommits: ReadonlyMap<string, string> | undefined): string | undefined => {
    const digest = sources.digest(filePath, MAX_ADVISORY_BYTES);
    if (digest === undefined) return undefined;
    const file = rootRelative(shared.root, filePath);
    return sha256(`${header.context}\0${file}\0${lastCommits?.get(file) ?? ''}\0${digest}`);
  };

  const used = new Map<string, string>();
  const added: string[] = [];
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
      const line = lineOf(key, toBody(result));
      used.set(key, line);
      added.push(line);
    },
    /**
     * Appends this run's new entries; rewrites the file, with exactly this run's entries, when it was
     * written for another context or half its entries are stale. A cache that cannot be saved is not an error.
     */
    async save(): Promise<void> {
      await sources.save();
      try {
        if (stale || lines.size + added.length > 2 * used.size + 64) await writeLines(path, header, used.values());
        else if (added.length > 0) await appendLines(path, header, added, complete);
      } catch {
        // The cache is an optimisation only.
      }
    },
  };
}
