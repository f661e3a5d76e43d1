// The file the check and render caches are kept in: a header line (JSON: format and context), then one line per entry,
// `key TAB checksum TAB body`, where body is JSON texts (so it never holds a raw newline; tabs part the texts). A line is
// verified only when used; a damaged one is simply not an entry. The file is written whole, a batch of
// lines at a time, to a temporary file renamed over the old one: a crash leaves the previous cache.
// Lines may also be appended: a torn last line fails its checksum and is skipped like any damage.
import { crc32 } from 'node:zlib';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface StoreHeader {
  format: string;
  context: string;
}

// CRC-32 (zlib's, in C) finds damage (a torn write, a flipped or edited byte) at a third of SHA-256's
// cost over tens of megabytes; like any unkeyed checksum it is no defence against a deliberate forger,
// who could recompute either, and the keys are not secrets.
const checksum = (key: string, body: string) => crcHex(crc32(body, crc32(`${key}\0`)));

/** A CRC-32 as the caches write it: eight hex digits. */
export const crcHex = (crc: number) => crc.toString(16).padStart(8, '0');

/** One entry's line. */
export const lineOf = (key: string, body: string) => `${key}\t${checksum(key, body)}\t${body}`;

/** The line's body (the rest of the line, tabs included) if its checksum holds, else undefined (damaged, truncated or edited). */
export function bodyOf(key: string, line: string): string | undefined {
  const first = line.indexOf('\t');
  const second = line.indexOf('\t', first + 1);
  if (first < 0 || second < 0 || line.slice(0, first) !== key) return undefined;
  const body = line.slice(second + 1);
  return checksum(key, body) === line.slice(first + 1, second) ? body : undefined;
}

/**
 * The stored lines by key. `stale`: a file was there but written for another format or context (another
 * version of the tool, another config): none of it is used.
 */
export async function readLines(path: string, header: StoreHeader): Promise<{ lines: Map<string, string>; stale: boolean; complete: boolean }> {
  const lines = new Map<string, string>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { lines, stale: false, complete: true };
  }
  // A later line for the same key (appended) wins; `complete`: the last line was not torn.
  const complete = text.length === 0 || text.endsWith('\n');
  const all = text.split('\n');
  let found: Partial<StoreHeader> | undefined;
  try {
    found = JSON.parse(all[0] ?? '') as Partial<StoreHeader>;
  } catch {
    found = undefined;
  }
  if (found?.format !== header.format || found.context !== header.context) return { lines, stale: text.length > 0, complete };
  for (const line of all.slice(1)) {
    const key = line.slice(0, line.indexOf('\t'));
    if (key) lines.set(key, line);
  }
  return { lines, stale: false, complete };
}

/** Writes `chunks` one after another into a file opened with `flags`. */
async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>, flags: 'w' | 'a'): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, flags);
  try {
    for (const chunk of chunks) await (typeof chunk === 'string' ? handle.write(chunk) : handle.write(chunk));
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a state file whole: written to a temporary file renamed over it, so a crash leaves the old
 * one. Large content comes in chunks, so it is never one string at the peak.
 */
export async function replaceFile(path: string, content: string | Iterable<string | Uint8Array>): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeChunks(temp, typeof content === 'string' ? [content] : content, 'w');
  await rename(temp, path);
}

/** Adds chunks at the end of a file, making it if need be. */
export const appendChunks = (path: string, chunks: Iterable<string | Uint8Array>) => writeChunks(path, chunks, 'a');

/** Writes the header and the lines, a thousand at a time (at 40,000 entries one joined string would add 200 MB at the peak). */
export async function writeLines(path: string, header: StoreHeader, lines: Iterable<string>): Promise<void> {
  function* batches() {
    let batch = [JSON.stringify(header)];
    for (const line of lines) {
      batch.push(line);
      if (batch.length >= 1000) yield batch.join('\n') + '\n', (batch = []);
    }
    if (batch.length > 0) yield batch.join('\n') + '\n';
  }
  await replaceFile(path, batches());
}

/**
 * Adds lines at the end (the header first if the file is new or empty). After a torn last line
 * (`complete` false) a newline comes first, so only that line stays damaged.
 */
export async function appendLines(path: string, header: StoreHeader, lines: readonly string[], complete: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a');
  try {
    const { size } = await handle.stat();
    let head = size === 0 ? `${JSON.stringify(header)}\n` : complete ? '' : '\n';
    // In batches, as writeLines: a first run appends every entry.
    for (let i = 0; i < lines.length; i += 1000) {
      await handle.write(`${head}${lines.slice(i, i + 1000).join('\n')}\n`);
      head = '';
    }
  } finally {
    await handle.close();
  }
}
