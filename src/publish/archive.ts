// A ZIP archive of files of the site, through yazl (maintained; deflates with Node's zlib on its thread
// pool, so the archive is compressed while the pages are written; ZIP64 where an archive needs it).
// Each entry is handed over as a stream that yazl opens only when the entry's turn comes: its addBuffer
// starts every deflate at once, and ten thousand zlib streams alive together cost several times the
// CPU of the same work done one entry after another.
// Deterministic: entries in the declared order, one fixed DOS time stamp, no extra time fields, so the
// same files give the same bytes.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export class ArchiveWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly done: Promise<void>;
  private readonly waiting = new Map<string, Uint8Array>();
  private next = 0;
  private readonly remaining: Set<string>;
  // 1980-01-01 00:00, the DOS format's first moment, in local time as yazl encodes it (made per archive:
  // the time zone may change while the process runs).
  private readonly epoch = new Date(1980, 0, 1, 0, 0, 0);

  constructor(
    target: string,
    private readonly entries: readonly { name: string; path: string }[],
    /** zlib's level; 0 stores (only tests of the container itself use it). */
    private readonly level = 6,
  ) {
    this.remaining = new Set(entries.map((e) => e.path));
    this.done = pipeline(this.zip.outputStream, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
    this.done.catch(() => undefined); // seen in finish()
  }

  wants(path: string): boolean {
    return this.remaining.has(path);
  }

  /** A file of the site as it is written; taken in the declared order, whatever order they come in. */
  add(path: string, bytes: Uint8Array): void {
    this.remaining.delete(path);
    this.waiting.set(path, bytes);
    for (let entry = this.entries[this.next]; entry && this.waiting.has(entry.path); entry = this.entries[++this.next]) {
      const data = this.waiting.get(entry.path)!;
      this.waiting.delete(entry.path);
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      this.zip.addReadStreamLazy(entry.name, { mtime: this.epoch, mode: 0o100644, compressionLevel: this.level, size: bytes.byteLength, forceDosTimestamp: true }, (give) => give(null, Readable.from([bytes], { objectMode: false })));
    }
  }

  /** The path of the first entry no file was given for, if any. */
  missing(): string | undefined {
    return this.entries[this.next]?.path;
  }

  async finish(): Promise<void> {
    this.zip.end();
    await this.done;
  }
}
