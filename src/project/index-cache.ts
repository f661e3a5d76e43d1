// Each advisory's share of the index files (render/index-parts.ts) kept in the state folder between
// builds, by output key: the key covers the advisory, the config, the templates and the tool's code, so
// a share is reused only where it would come out the same. One file, rewritten whole (to a temporary
// name, then renamed) by every build that changed a share: a header line, a table (one line per share:
// key and where its two texts lie), then the texts back to back. Reading it is one decode and a slice per
// share, not a parse: at 10,000 advisories a line-per-share JSON file took 0.2 s to read back. A CRC-32
// over table and texts guards the whole; a damaged or foreign file is ignored and every share made again,
// so the cache makes a rebuild faster, never different.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { indexParts, type IndexPart } from '../render/index-parts.ts';
import { outputKey } from '../render/keys.ts';
import type { SiteInput } from '../render/site-input.ts';
import { toolFingerprint } from './fingerprint.ts';

export const INDEX_CACHE = 'cache/index-parts.txt';
const FORMAT = 'advisories-index-parts/1';

export interface IndexCacheStats {
  hits: number;
  misses: number;
  /** The file was there but damaged, or written by another version of the tool: none of it was used. */
  ignored: boolean;
}

interface Header {
  format: string;
  context: string;
  /** Table lines after the header. */
  count: number;
  /** CRC-32 of everything after the header line, as hex. */
  crc: string;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

/** The stored shares by key; an empty map for a missing, damaged or foreign file (`ignored` when there was one). */
async function readShares(path: string, context: string): Promise<{ shares: Map<string, IndexPart>; ignored: boolean }> {
  const shares = new Map<string, IndexPart>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { shares, ignored: false };
  }
  const end = text.indexOf('\n');
  let header: Partial<Header>;
  try {
    header = JSON.parse(text.slice(0, end)) as Partial<Header>;
  } catch {
    return { shares, ignored: true };
  }
  const rest = text.slice(end + 1);
  if (header.format !== FORMAT || header.context !== context || typeof header.count !== 'number' || header.crc !== hex(crc32(rest))) return { shares, ignored: true };
  let at = 0;
  const table: string[] = [];
  for (let i = 0; i < header.count; i++) {
    const next = rest.indexOf('\n', at);
    if (next < 0) return { shares: new Map(), ignored: true };
    table.push(rest.slice(at, next));
    at = next + 1;
  }
  const texts = rest.slice(at);
  for (const row of table) {
    const [key, jsonLength, itemLength, start] = row.split('\t');
    const from = Number(start);
    const middle = from + Number(jsonLength);
    const to = middle + Number(itemLength);
    if (!key || !(from >= 0 && middle >= from && to >= middle && to <= texts.length)) return { shares: new Map(), ignored: true };
    // Slices of one string: no copy until the index files are joined.
    shares.set(key, { json: texts.slice(from, middle), item: texts.slice(middle, to) });
  }
  return { shares, ignored: false };
}

/** Writes the shares in batches (at 40,000 advisories one joined string would be 50 MB more at the peak). */
async function writeShares(path: string, context: string, shares: ReadonlyMap<string, IndexPart>): Promise<void> {
  const entries = [...shares];
  const table: string[] = [];
  let start = 0;
  for (const [key, { json, item }] of entries) {
    table.push(`${key}\t${json.length}\t${item.length}\t${start}\n`);
    start += json.length + item.length;
  }
  let crc = 0;
  const batches: string[] = [];
  for (let i = 0; i < table.length; i += 1000) batches.push(table.slice(i, i + 1000).join(''));
  for (let i = 0; i < entries.length; i += 1000) batches.push(entries.slice(i, i + 1000).map(([, p]) => p.json + p.item).join(''));
  for (const batch of batches) crc = crc32(batch, crc);
  const header: Header = { format: FORMAT, context, count: table.length, crc: hex(crc) };
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.write(`${JSON.stringify(header)}\n`);
    for (const batch of batches) await handle.write(batch);
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/**
 * The shares of every advisory of `input`, from the cache where it has them: `known` is what
 * SiteInput.indexParts takes. `save` stores this build's shares when any changed.
 */
export async function prepareIndexParts(input: SiteInput, state: string) {
  const path = join(state, INDEX_CACHE);
  const context = toolFingerprint();
  const { shares: stored, ignored } = await readShares(path, context);
  let hits = 0;
  const parts = indexParts(input, (key) => {
    const part = stored.get(key);
    if (part) hits++;
    return part;
  });
  const stats: IndexCacheStats = { hits, misses: parts.size - hits, ignored };
  const byKey = new Map<string, IndexPart>();
  for (const [a, part] of parts) {
    const key = outputKey(a, input);
    if (key) byKey.set(key, part);
  }

  async function save(): Promise<void> {
    // Nothing made afresh and nothing dropped: the file already says this.
    if (!ignored && stats.misses === 0 && byKey.size === stored.size) return;
    await writeShares(path, context, byKey).catch(() => undefined); // an optimisation only
  }
  return { known: (key: string) => byKey.get(key), stats, save };
}
