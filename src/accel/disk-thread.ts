// The site's files created, and its archive packed, on threads of their own (disk-worker.ts), while this
// one goes on rendering: creating tens of thousands of files costs a system call each, and the archive's
// deflate is fed one entry after another; done on the main thread, both held the render up. Files and
// archive go to two threads, so that neither waits for the other.
// The same writes as the reference's Disk (publish/write-site.ts), in the same order, by the same
// ArchiveWriter: only the thread differs. A failure is the first one a thread met, with its errno, thrown
// by the next call here or by `settle`; nothing is written after it, and `settle` waits for both threads
// to stop writing before the reference writer removes the folder.
import { Worker } from 'node:worker_threads';
import { shipped } from '../core/shipped.ts';
import type { Archive, Disk } from '../publish/write-site.ts';

export type DiskOp =
  | { op: 'write'; full: string; at: number; length: number }
  | { op: 'open'; id: number; full: string; entries: readonly { name: string; path: string }[] }
  | { op: 'add'; id: number; path: string; at: number; length: number }
  | { op: 'addWritten'; id: number; path: string; full: string }
  | { op: 'finish'; id: number };

/** An error as it crosses threads: the fields the build's message reads (an errno error's code, syscall, path). */
export interface Failure {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
}

export const failureOf = (error: unknown): Failure => {
  const e = error as NodeJS.ErrnoException;
  return {
    message: e?.message ?? String(error),
    ...(e?.code ? { code: e.code } : {}),
    ...(e?.errno !== undefined ? { errno: e.errno } : {}),
    ...(e?.syscall ? { syscall: e.syscall } : {}),
    ...(e?.path ? { path: e.path } : {}),
  };
};

const errorOf = (f: Failure) => Object.assign(new Error(f.message), f);

// A batch goes when it holds this much, so a message carries many small files.
const BATCH_BYTES = 256 * 1024;
const BATCH_OPS = 128;
// Batches up to this size travel in buffers the thread sends back for the next: a large site's writing
// otherwise leaves hundreds of megabytes of spent buffers for the thread's collector to find.
const BATCH_CAPACITY = 512 * 1024;
// Bytes handed to a thread and not yet written: past the high mark the writer waits (`room`).
const HIGH = 8 * 1024 * 1024;
const LOW = 2 * 1024 * 1024;

const fromSource = import.meta.url.endsWith('.ts');

/** One thread and its queue of batches. `failed` is shared: after any failure, no lane takes more. */
function lane(failed: { error?: Error }) {
  let ops: DiskOp[] = [];
  let parts: Uint8Array[] = [];
  let size = 0;
  let sent = 0;
  let done = 0;
  let inFlight = 0;
  const batchBytes = new Map<number, number>();
  let exited = false;
  let closing = false;
  /** Called on every answer (and on a crash): each waiter checks whether its moment has come. */
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const fail = (error: Error) => {
    failed.error ??= error;
    wake();
  };

  // Started at once, so its modules load while the writer prepares; it holds the process open only once
  // it has work (and `close` stops it).
  const start = () => {
    const worker = new Worker(shipped('bin/worker.js'), {
      workerData: { entry: new URL(`./disk-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href, fromSource },
    });
    worker.on('message', (m: { done: number; failure?: Failure; buffer: ArrayBuffer }) => {
      if (m.buffer.byteLength === BATCH_CAPACITY && spare.length < 4) spare.push(m.buffer);
      done = m.done;
      inFlight -= batchBytes.get(m.done) ?? 0;
      batchBytes.delete(m.done);
      if (m.failure) fail(errorOf(m.failure));
      wake();
    });
    worker.on('error', fail);
    worker.on('exit', () => {
      exited = true;
      if (!closing) fail(new Error('the site writer thread stopped'));
      wake();
    });
    worker.unref();
    return worker;
  };
  const thread = start();

  const spare: ArrayBuffer[] = [];
  const flush = () => {
    if (ops.length === 0) return;
    // Not from Node's shared pool, and not zeroed: the bytes of the batch are copied in below, and the buffer is transferred.
    const whole = (size <= BATCH_CAPACITY && spare.pop()) || (Buffer.allocUnsafeSlow(Math.max(size, BATCH_CAPACITY)).buffer as ArrayBuffer);
    const buffer = new Uint8Array(whole, 0, size);
    let at = 0;
    for (const part of parts) {
      buffer.set(part, at);
      at += part.byteLength;
    }
    sent++;
    batchBytes.set(sent, size);
    inFlight += size;
    thread.ref();
    thread.postMessage({ n: sent, ops, buffer: whole }, [whole]);
    ops = [];
    parts = [];
    size = 0;
  };

  /** Resolves when `ready()` holds after an answer; rejects once a thread has failed, unless `always`. */
  const until = (ready: () => boolean, always = false) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (failed.error && !always) {
          waiters.delete(check);
          reject(failed.error);
        } else if (ready() || exited) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });

  return {
    /** Queues an op, with the bytes it refers to (its `at` is set here). */
    push(op: DiskOp, bytes?: Uint8Array) {
      if (failed.error) throw failed.error;
      if (closing) throw new Error('the site writer was already settled');
      if (bytes) {
        if (op.op === 'write' || op.op === 'add') op.at = size;
        parts.push(bytes);
        size += bytes.byteLength;
      }
      ops.push(op);
      if (size >= BATCH_BYTES || ops.length >= BATCH_OPS) flush();
    },
    full: () => inFlight > HIGH,
    room: () => {
      flush();
      return until(() => inFlight <= LOW);
    },
    /** Every batch so far written; rejects on a failure. */
    written: () => {
      flush();
      const target = sent;
      return until(() => done >= target);
    },
    /** Every batch answered, whatever happened, and the thread stopped: the folder may be removed next. */
    close: async () => {
      flush();
      const target = sent;
      await until(() => done >= target, true);
      closing = true;
      await thread.terminate();
    },
  };
}

export function threadDisk(): Disk {
  const failed: { error?: Error } = {};
  const files = lane(failed);
  const packing = lane(failed);
  let archives = 0;
  return {
    write: (full, bytes) => files.push({ op: 'write', full, at: 0, length: bytes.byteLength }, bytes),
    archive: (full, entries): Archive => {
      const id = ++archives;
      const remaining = new Set(entries.map((e) => e.path));
      packing.push({ op: 'open', id, full, entries });
      return {
        wants: (path) => remaining.has(path),
        add: (path, bytes) => {
          remaining.delete(path);
          packing.push({ op: 'add', id, path, at: 0, length: bytes.byteLength }, bytes);
        },
        // Read back by the archive's thread, once the files' thread has written it.
        addWritten: async (path, file) => {
          remaining.delete(path);
          await files.written();
          packing.push({ op: 'addWritten', id, path, full: file });
        },
        // The archive's thread waits for the archive's room itself; the writer waits for the thread (Disk.room).
        full: () => false,
        room: async () => undefined,
        // Entries are taken in the declared order: the first one not given is the one the archive lacks.
        missing: () => entries.find((e) => remaining.has(e.path))?.path,
        finish: async () => {
          packing.push({ op: 'finish', id });
          await packing.written();
        },
      };
    },
    full: () => files.full() || packing.full(),
    room: async () => {
      await Promise.all([files.room(), packing.room()]);
    },
    settle: async () => {
      await Promise.all([files.close(), packing.close()]);
      if (failed.error) throw failed.error;
    },
  };
}
