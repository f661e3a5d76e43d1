// Runs chunks of work on every core. The main thread takes chunks from the same queue as the workers,
// so a small input never waits for a worker to start, and a large one uses the whole machine.
import { availableParallelism } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { shipped } from '../core/shipped.ts';

export interface PoolOptions {
  /** Worker threads; by default sized to the machine and the amount of work. */
  workers?: number;
  /** Let the main thread work too (default); off, every chunk goes to a worker. */
  mainThread?: boolean;
}

/** How the work was spread: observable by tests, unlike timing. */
export interface PoolStats {
  files: number;
  workers: number;
  filesInWorkers: number;
}

export function workerCount(items: number, minPerWorker: number, forced?: number): number {
  if (forced !== undefined) return forced;
  return Math.max(0, Math.min(availableParallelism() - 1, Math.floor(items / minPerWorker) - 1));
}

// bin/worker.js registers tsx first when running from the TypeScript sources (tsx, vitest).
const fromSource = import.meta.url.endsWith('.ts');

interface Job<T, R> {
  items: readonly T[];
  chunkSize: number;
  /** Below this many items per extra thread, starting a worker (loading modules) costs more than it saves. */
  minPerWorker: number;
  /** The same function the worker runs (see serveChunks), for the main thread's share. */
  work: (items: T[]) => Promise<R[]>;
  /** Module next to this one, without extension, that calls serveChunks. */
  entry: string;
  data: unknown;
  options?: PoolOptions;
}

export async function runChunks<T, R>(job: Job<T, R>): Promise<{ results: R[]; stats: PoolStats }> {
  const { items, chunkSize } = job;
  const results: R[] = new Array(items.length);
  const stats: PoolStats = { files: items.length, workers: 0, filesInWorkers: 0 };
  let next = 0;
  const take = () => {
    if (next >= items.length) return undefined;
    const start = next;
    next = Math.min(items.length, next + chunkSize);
    return { start, items: items.slice(start, next) };
  };
  const store = (start: number, chunk: R[]) => chunk.forEach((r, i) => (results[start + i] = r));
  // A turn of the event loop before each local chunk: work that is synchronous inside would otherwise
  // starve the workers' messages, and the main thread would do everything alone.
  const local = async () => {
    for (let chunk = take(); chunk; chunk = take()) {
      await new Promise((resolve) => setImmediate(resolve));
      store(chunk.start, await job.work(chunk.items));
    }
  };
  // A worker that has not started by the time the main thread ran out of work is stopped unused.
  const notStarted = new Set<() => void>();
  const remote = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const stop = () => {
        notStarted.delete(stop);
        void worker.terminate().then(() => resolve());
      };
      notStarted.add(stop);
      let inFlight = 0;
      const send = () => {
        const chunk = take();
        if (chunk) {
          inFlight++;
          worker.postMessage(chunk);
        } else if (inFlight === 0) stop();
      };
      worker.on('message', (m: { ready: true } | { start: number; results: R[] }) => {
        if ('ready' in m) {
          // Started only once its modules are loaded ('online' comes before): until then the main thread
          // keeps the chunks, and a worker still loading when the work runs out is stopped unused.
          if (!notStarted.has(stop)) return;
          notStarted.delete(stop);
          // Two chunks in flight, so a worker never idles while the busy main thread answers its message.
          send();
          send();
          return;
        }
        inFlight--;
        store(m.start, m.results);
        stats.filesInWorkers += m.results.length;
        send();
      });
      worker.on('error', reject);
    });
  const entry = new URL(`./${job.entry}.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const count = workerCount(items.length, job.minPerWorker, job.options?.workers);
  const workers = Array.from({ length: count }, () => new Worker(shipped('bin/worker.js'), { workerData: { entry, fromSource, data: job.data } }));
  try {
    stats.workers = workers.length;
    const running = workers.map(remote);
    if (workers.length === 0 || job.options?.mainThread !== false) {
      await local();
      for (const stop of [...notStarted]) stop();
    }
    await Promise.all(running);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { results, stats };
}

/** Worker side: answers each chunk with `work(items, data)`. */
export function serveChunks<T, R, D>(work: (items: T[], data: D) => Promise<R[]>): void {
  const { data } = workerData as { data: D };
  parentPort!.on('message', async (chunk: { start: number; items: T[] }) => {
    parentPort!.postMessage({ start: chunk.start, results: await work(chunk.items, data) });
  });
  parentPort!.postMessage({ ready: true });
}
