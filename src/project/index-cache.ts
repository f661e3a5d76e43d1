// Each advisory's share of the index files (render/index-parts.ts) kept in the state folder between
// builds, by output key: the key covers the advisory, the config, the templates and the tool's code, so
// a share is reused only where it would come out the same. The file is a run of segments, each a header
// line, a table (one line per share: key and the lengths of its two texts) and the texts back to back,
// under one CRC-32. Reading it is one decode and a slice per share, not a parse: at 10,000 advisories a
// line-per-share JSON file took 0.2 s to read back. A build appends a segment with the shares it made;
// the file is rewritten whole (to a temporary name, then renamed) once it holds as many stale shares as
// live ones. A damaged, cut or foreign segment ends the reading there (a foreign file is not read at all),
// and the next save rewrites the file, so the cache makes a rebuild faster, never different.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { indexParts, type IndexPart } from '../render/index-parts.ts';
import { outputKey } from '../render/keys.ts';
import type { SiteInput } from '../render/site-input.ts';
import { toolFingerprint } from './fingerprint.ts';
import { appendChunks, crcHex, replaceFile } from './line-store.ts';

export const INDEX_CACHE = 'cache/index-parts.txt';
const FORMAT = 'advisories-index-parts/3';

export interface IndexCacheStats {
  hits: number;
  misses: number;
  /** Part or all of the file was damaged, cut or written by another version of the tool, and not used. */
  ignored: boolean;
}

interface SegmentHeader {
  format: string;
  context: string;
  /** Shares in the segment: its table's lines. */
  count: number;
  /** Bytes after the header line: the table and the texts. */
  length: number;
  /** CRC-32 of those bytes, as hex. */
  crc: string;
}

/** One segment's shares; undefined if its header, checksum or table is wrong. The checksum is of bytes: no text is made of a damaged segment. */
function readSegment(bytes: Buffer, at: number, context: string): { shares: [string, IndexPart][]; end: number } | undefined {
  const newline = bytes.indexOf(10, at);
  if (newline < 0) return undefined;
  let header: Partial<SegmentHeader>;
  try {
    header = JSON.parse(bytes.toString('utf8', at, newline)) as Partial<SegmentHeader>;
  } catch {
    return undefined;
  }
  const { count, length } = header;
  if (header.format !== FORMAT || header.context !== context || typeof count !== 'number' || typeof length !== 'number') return undefined;
  const end = newline + 1 + length;
  if (end > bytes.length || header.crc !== crcHex(crc32(bytes.subarray(newline + 1, end)))) return undefined;
  const body = bytes.toString('utf8', newline + 1, end);
  const rows: string[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const next = body.indexOf('\n', pos);
    if (next < 0) return undefined;
    rows.push(body.slice(pos, next));
    pos = next + 1;
  }
  const shares: [string, IndexPart][] = [];
  for (const row of rows) {
    const [key, jsonLength, itemLength] = row.split('\t');
    const middle = pos + Number(jsonLength);
    const to = middle + Number(itemLength);
    if (!key || !(middle >= pos && to >= middle && to <= body.length)) return undefined;
    // Slices of one string: no copy until the index files are joined.
    shares.push([key, { json: body.slice(pos, middle), item: body.slice(middle, to) }]);
    pos = to;
  }
  return { shares, end };
}

/** The stored shares by key (a later segment's win), how many the file holds in all, and whether any of it was unusable. */
async function readShares(path: string, context: string): Promise<{ shares: Map<string, IndexPart>; held: number; ignored: boolean }> {
  const shares = new Map<string, IndexPart>();
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return { shares, held: 0, ignored: false };
  }
  let held = 0;
  for (let at = 0; at < bytes.length; ) {
    const segment = readSegment(bytes, at, context);
    if (!segment) return { shares, held, ignored: true };
    for (const [key, part] of segment.shares) shares.set(key, part);
    held += segment.shares.length;
    at = segment.end;
  }
  return { shares, held, ignored: false };
}

/** A segment of `entries`, encoded in batches (at 40,000 advisories one joined string would be 50 MB more at the peak). */
function segmentOf(context: string, entries: readonly (readonly [string, IndexPart])[]): Buffer[] {
  const batches: Buffer[] = [];
  for (let i = 0; i < entries.length; i += 1000) batches.push(Buffer.from(entries.slice(i, i + 1000).map(([key, p]) => `${key}\t${p.json.length}\t${p.item.length}\n`).join('')));
  for (let i = 0; i < entries.length; i += 1000) batches.push(Buffer.from(entries.slice(i, i + 1000).map(([, p]) => p.json + p.item).join('')));
  let crc = 0;
  let length = 0;
  for (const batch of batches) (crc = crc32(batch, crc)), (length += batch.length);
  const header: SegmentHeader = { format: FORMAT, context, count: entries.length, length, crc: crcHex(crc) };
  return [Buffer.from(`${JSON.stringify(header)}\n`), ...batches];
}

/**
 * The shares of every advisory of `input`, from the cache where it has them: `known` is what
 * SiteInput.indexParts takes. `save` stores this build's shares when any changed.
 */
export async function prepareIndexParts(input: SiteInput, state: string) {
  const path = join(state, INDEX_CACHE);
  const context = toolFingerprint();
  const { shares: stored, held, ignored } = await readShares(path, context);
  const made: [string, IndexPart][] = [];
  const parts = indexParts(input, (key) => stored.get(key));
  const byKey = new Map<string, IndexPart>();
  let hits = 0;
  for (const [a, part] of parts) {
    const key = outputKey(a, input);
    if (!key) continue;
    byKey.set(key, part);
    if (stored.get(key) === part) hits++;
    else made.push([key, part]);
  }
  const stats: IndexCacheStats = { hits, misses: parts.size - hits, ignored };

  async function save(): Promise<void> {
    try {
      // Appended while the file is sound and at most half stale; otherwise this build's shares replace it.
      if (ignored || held + made.length > 2 * byKey.size + 64) await replaceFile(path, segmentOf(context, [...byKey]));
      else if (made.length > 0) await appendChunks(path, segmentOf(context, made));
    } catch {
      // The cache is an optimisation only.
    }
  }
  return { known: (key: string) => byKey.get(key), stats, save };
}
