// A ZIP archive of files of the site, through yazl (maintained; deflates with Node's zlib on its thread
// pool, so the archive is compressed while the pages are written; ZIP64 where an archive needs it).
// Each entry is handed over as a stream that yazl opens only when the entry's turn comes: its addBuffer
// starts every deflate at once, and ten thousand zlib streams alive together cost several times the
// CPU of the same work done one entry after another.
// Those handed over but not yet opened are counted: past a bound the site's writer waits (`room`),
// else a fast renderer queues every record of a large site in memory ahead of the one deflate.
// Deterministic: entries in the declared order, one fixed DOS time stamp, no extra time fields, so the
// same files give the same bytes.
import { createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

const QUEUE_HIGH = 16 * 1024 * 1024;
const QUEUE_LOW = 4 * 1024 * 1024;

export class ArchiveWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly done: Promise<void>;
  private readonly waiting = new Map<string, Uint8Array>();
  private next = 0;
  /** Bytes handed to yazl whose stream it has not opened yet. */
  private queued = 0;
  private wake: (() => void) | undefined;
  private failed = false;
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
    // Seen in finish(); a failed archive takes nothing more, so nobody may wait for room in it.
    this.done.catch(() => {
      this.failed = true;
      this.wake?.();
    });
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
      if (this.failed) continue; // finish() names the failure; the bytes need not be kept for it
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      this.queued += bytes.byteLength;
      this.zip.addReadStreamLazy(entry.name, { mtime: this.epoch, mode: 0o100644, compressionLevel: this.level, size: bytes.byteLength, forceDosTimestamp: true }, (give) => {
        this.queued -= bytes.byteLength;
        if (this.wake && this.queued <= QUEUE_LOW) this.wake();
        give(null, Readable.from([bytes], { objectMode: false }));
      });
    }
  }

  /** A file of the archive already written at `file`: read back. */
  addWritten(path: string, file: string): void {
    this.add(path, readFileSync(file));
  }

  /** Whether the writer should wait for `room()` before handing over more. */
  full(): boolean {
    return !this.failed && this.queued > QUEUE_HIGH;
  }

  /**
   * Resolves once the queue is down to its low mark. Only entries already handed to yazl are counted
   * (files that came early wait in `waiting` and are not): those always drain, so this never waits on
   * a file the writer has yet to give.
   */
  room(): Promise<void> {
    if (this.failed || this.queued <= QUEUE_LOW) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
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
