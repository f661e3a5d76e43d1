// A ZIP archive (PKWARE APPNOTE: local headers, deflated data, central directory) over Node's zlib.
// fflate's pure-JS deflate took 1.5 s for 10,000 OSV records, zlib takes 0.4 s; and an entry can be
// carried over already deflated from the previous archive, so an unchanged record is never
// compressed again. Deterministic: fixed time stamp, entries in the order given.
import { crc32, deflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  crc: number;
  size: number;
  deflated: Uint8Array;
  /**
   * The entry's bytes in an archive zipArchive wrote: its local record (header, name, data) and its
   * central header (with name). A carried entry was written by this very code (its key holds the tool's
   * fingerprint), so these are the bytes it would write again: they are copied, only the central
   * header's offset changes.
   */
  raw?: { local: Uint8Array; central: Uint8Array };
}

// Level 1: JSON compresses nearly as well, at a fraction of the time. A record is a few kilobytes, so
// an 8 KB window (and a hash table to match) sees all of it: 64 KB of state per deflate instead of
// zlib's default 256 KB, so many can run at once.
const LEVEL = { level: 1, windowBits: 13, memLevel: 6 };

const entryOf = (name: string, data: Uint8Array, deflated: Uint8Array): ZipEntry => ({ name, crc: crc32(data), size: data.length, deflated });

export const zipEntry = (name: string, data: Uint8Array): ZipEntry => entryOf(name, data, deflateRawSync(data, LEVEL));

/**
 * Builds an archive while the caller goes on: entries are deflated on libuv's thread pool, many at a
 * time (each deflate holds its own window in memory), and `finish` resolves to the archive.
 */
export class ZipBuilder {
  private readonly entries: (ZipEntry | undefined)[] = [];
  private readonly queue: { index: number; name: string; data: Uint8Array }[] = [];
  private running = 0;
  private failure: unknown;
  private drained?: () => void;

  // Enough at once that the thread pool keeps deflating between the turns the busy main thread gives
  // it: with 4, most of 10,000 records were still queued when the last page was written.
  constructor(private readonly concurrency = 64) {}

  /** An entry already deflated (carried over from a previous archive), or data to deflate. */
  add(name: string, data: Uint8Array | ZipEntry): void {
    const index = this.entries.length;
    if (!(data instanceof Uint8Array)) return void this.entries.push({ ...data, name });
    this.entries.push(undefined);
    this.queue.push({ index, name, data });
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const { index, name, data } = this.queue.shift()!;
      this.running++;
      deflateRaw(data, LEVEL, (error, deflated) => {
        this.running--;
        if (error) this.failure ??= error;
        else this.entries[index] = entryOf(name, data, deflated);
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.drained?.();
      });
    }
  }

  async finish(): Promise<Uint8Array> {
    if (this.running > 0 || this.queue.length > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    if (this.failure) throw this.failure;
    return zipArchive(this.entries as ZipEntry[]);
  }
}

// 1980-01-01 12:00:00 in MS-DOS form: the same bytes in every time zone.
const DOS_TIME = 12 << 11;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const VERSION = 20;
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
/** Without ZIP64, the format counts entries in 16 bits and offsets in 32. */
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;

/** Writes a local (30 bytes) or central (46 bytes) header at `at`; returns where the name goes. */
function header(b: Buffer, at: number, signature: number, entry: ZipEntry, nameLength: number, central: boolean, offset: number): number {
  at = b.writeUInt32LE(signature, at);
  if (central) at = b.writeUInt16LE(VERSION, at); // made by
  at = b.writeUInt16LE(VERSION, at); // needed to extract
  at = b.writeUInt16LE(UTF8_NAMES, at);
  at = b.writeUInt16LE(DEFLATE, at);
  at = b.writeUInt16LE(DOS_TIME, at);
  at = b.writeUInt16LE(DOS_DATE, at);
  at = b.writeUInt32LE(entry.crc >>> 0, at);
  at = b.writeUInt32LE(entry.deflated.length, at);
  at = b.writeUInt32LE(entry.size, at);
  at = b.writeUInt16LE(nameLength, at);
  at = b.writeUInt16LE(0, at); // extra field
  if (central) {
    at = b.writeUInt16LE(0, at); // comment
    at = b.writeUInt16LE(0, at); // disk
    at = b.writeUInt16LE(0, at); // internal attributes
    at = b.writeUInt32LE(0, at); // external attributes
    at = b.writeUInt32LE(offset, at);
  }
  return at;
}

/** The archive cannot hold the input: a limit of the format, not a bug. */
export class ZipLimitError extends Error {}

/** One buffer, sized first and written in place: 10,000 entries made 40,000 small buffers to join. */
export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > MAX_ENTRIES) throw new ZipLimitError(`osv/all.zip would hold ${entries.length} records; a ZIP archive without ZIP64 holds at most ${MAX_ENTRIES}`);
  const names = entries.map((entry) => (entry.raw ? undefined : Buffer.from(entry.name, 'utf8')));
  let data = 0;
  let directory = 0;
  entries.forEach(({ raw, deflated }, i) => {
    data += raw ? raw.local.length : 30 + names[i]!.length + deflated.length;
    directory += raw ? raw.central.length : 46 + names[i]!.length;
  });
  if (data > MAX_OFFSET) throw new ZipLimitError('osv/all.zip would be over 4 GB, the most a ZIP archive without ZIP64 holds');
  const b = Buffer.allocUnsafe(data + directory + 22);
  let at = 0;
  let central = data;
  entries.forEach((entry, i) => {
    const { raw } = entry;
    if (raw) {
      b.set(raw.central, central);
      b.writeUInt32LE(at, central + 42); // where its local record now starts
      central += raw.central.length;
      b.set(raw.local, at);
      at += raw.local.length;
      return;
    }
    const name = names[i]!;
    central = header(b, central, CENTRAL, entry, name.length, true, at);
    central += name.copy(b, central);
    at = header(b, at, LOCAL, entry, name.length, false, 0);
    at += name.copy(b, at);
    b.set(entry.deflated, at);
    at += entry.deflated.length;
  });
  at = b.writeUInt32LE(END, central);
  at = b.writeUInt16LE(0, at); // this disk
  at = b.writeUInt16LE(0, at); // disk with the directory
  at = b.writeUInt16LE(entries.length, at);
  at = b.writeUInt16LE(entries.length, at);
  at = b.writeUInt32LE(directory, at);
  at = b.writeUInt32LE(data, at);
  b.writeUInt16LE(0, at); // comment
  return b;
}

/**
 * The entries of an archive zipArchive wrote, still deflated, by name; an empty map for anything else
 * (a damaged or foreign file is simply not reused).
 */
export function readZipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 22 || b.readUInt32LE(b.length - 22) !== END) return entries;
  const count = b.readUInt16LE(b.length - 22 + 10);
  let at = b.readUInt32LE(b.length - 22 + 16);
  try {
    for (let i = 0; i < count; i++) {
      if (b.readUInt32LE(at) !== CENTRAL || b.readUInt16LE(at + 10) !== DEFLATE) return new Map();
      const crc = b.readUInt32LE(at + 16);
      const compressed = b.readUInt32LE(at + 20);
      const size = b.readUInt32LE(at + 24);
      const nameLength = b.readUInt16LE(at + 28);
      const skip = nameLength + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
      const local = b.readUInt32LE(at + 42);
      const name = b.toString('utf8', at + 46, at + 46 + nameLength);
      if (b.readUInt32LE(local) !== LOCAL) return new Map();
      const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
      if (start + compressed > b.length) return new Map();
      const raw = { local: b.subarray(local, start + compressed), central: b.subarray(at, at + 46 + skip) };
      entries.set(name, { name, crc, size, deflated: b.subarray(start, start + compressed), raw });
      at += 46 + skip;
    }
  } catch {
    return new Map(); // read past the end: not an archive we wrote
  }
  return entries;
}
