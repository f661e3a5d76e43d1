// Each advisory's share of the index files (render/index-parts.ts) kept in the state folder between
// builds, by output key: the key covers the advisory, the config, the templates and the tool's code, so
// a share is reused only where it would come out the same. Stored like the other caches (line-store.ts):
// checksummed lines, a damaged or foreign one ignored and made again, new ones appended, the file
// rewritten once half of it is stale. It makes a rebuild faster, never different.
import { join } from 'node:path';
import { indexParts, type IndexPart } from '../render/index-parts.ts';
import { outputKey } from '../render/keys.ts';
import type { SiteInput } from '../render/site-input.ts';
import { toolFingerprint } from './fingerprint.ts';
import { appendLines, bodyOf, lineOf, readLines, writeLines } from './line-store.ts';

export const INDEX_CACHE = 'cache/index.jsonl';
const FORMAT = 'advisories-index-cache/1';

export interface IndexCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
}

/** A stored share, or undefined when its line is damaged. */
function partOf(key: string, line: string): IndexPart | undefined {
  const body = bodyOf(key, line);
  if (body === undefined) return undefined;
  try {
    const [json, item] = JSON.parse(body) as unknown[];
    return typeof json === 'string' && typeof item === 'string' ? { json, item } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The shares of every advisory of `input`, from the cache where it has them: `known` is what
 * SiteInput.indexParts takes. `save` stores this build's shares.
 */
export async function prepareIndexParts(input: SiteInput, state: string) {
  const path = join(state, INDEX_CACHE);
  const header = { format: FORMAT, context: toolFingerprint() };
  const { lines, stale, complete } = await readLines(path, header);
  const stats: IndexCacheStats = { hits: 0, misses: 0, corrupt: 0 };
  /** Keys whose stored line verified and was used. */
  const reused = new Set<string>();
  const parts = indexParts(input, (key) => {
    const line = lines.get(key);
    const part = line === undefined ? undefined : partOf(key, line);
    if (part) reused.add(key);
    else if (line !== undefined) stats.corrupt++;
    return part;
  });
  stats.hits = reused.size;
  stats.misses = parts.size - reused.size;
  const byKey = new Map<string, IndexPart>();
  for (const [a, part] of parts) {
    const key = outputKey(a, input);
    if (key) byKey.set(key, part);
  }

  async function save(): Promise<void> {
    // A share made afresh over a damaged line is appended: the later line for a key wins.
    const used: string[] = [];
    const added: string[] = [];
    for (const [key, part] of byKey) {
      if (reused.has(key)) used.push(lines.get(key)!);
      else added.push(lineOf(key, JSON.stringify([part.json, part.item])));
    }
    try {
      if (stale || lines.size + added.length > 2 * (used.length + added.length) + 64) await writeLines(path, header, [...used, ...added]);
      else if (added.length > 0) await appendLines(path, header, added, complete);
    } catch {
      // The cache is an optimisation only.
    }
  }
  return { known: (key: string) => byKey.get(key), stats, save };
}
