// Runs chunks of work on every core. The main thread takes chunks from the same queue as the workers,
// so a small input never waits for a worker to start, and a large one uses the whole machine.
// The threads are kept in a Pool for the whole command: started early (`warm`), while the main thread
// is still reading the project, and reused from one job to the next (check, then render), so a worker's
// start-up is paid once and mostly while nothing waits for it.
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
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

/** What a worker can run: the modules pool-worker.ts loads for each. */
export type JobKind = 'check' | 'render';

export function workerCount(items: number, minPerWorker: number, forced?: number): number {
  if (forced !== undefined) return forced;
  return Math.max(0, Math.min(availableParallelism() - 1, Math.floor(items / minPerWorker) - 1));
}

// bin/worker.js registers tsx first when running from the TypeScript sources (tsx, vitest).
const fromSource = import.meta.url.endsWith('.ts');

type FromWorker = { loaded: JobKind } | { start: number; results: unknown[] };

/** One thread of the pool. It holds the event loop open only while it has work. */
class PoolWorker {
  private readonly thread = new Worker(shipped('bin/worker.js'), {
    workerData: { entry: new URL(`./pool-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href, fromSource },
  });
  private readonly loads = new Map<JobKind, { done: boolean; promise: Promise<void> }>();
  private readonly waiting = new Map<JobKind, () => void>();
  private failure: Error | undefined;
  private onFailure: ((error: Error) => void) | undefined;
  /** The running job's handler of results. */
  onResults: ((start: number, results: unknown[]) => void) | undefined;

  constructor() {
    this.thread.unref();
    this.thread.on('message', (m: FromWorker) => {
      if ('loaded' in m) {
        this.loads.get(m.loaded)!.done = true;
        this.waiting.get(m.loaded)?.();
      } else this.onResults?.(m.start, m.results);
    });
    this.thread.on('error', (error) => {
      this.failure = error;
      this.onFailure?.(error);
    });
  }

  /** Starts loading a kind's modules (once); resolves when they are loaded. */
  load(kind: JobKind): Promise<void> {
    let load = this.loads.get(kind);
    if (!load) {
      const promise = new Promise<void>((resolve) => this.waiting.set(kind, resolve));
      this.loads.set(kind, (load = { done: false, promise }));
      this.thread.postMessage({ load: kind });
    }
    return load.promise;
  }

  loaded(kind: JobKind): boolean {
    return this.loads.get(kind)?.done ?? false;
  }

  loading(kind: JobKind): boolean {
    return this.loads.has(kind);
  }

  /** Holds the process open while a job uses this worker; `fail` hears of a crash meanwhile. */
  begin(kind: JobKind, data: unknown, fail: (error: Error) => void): void {
    this.thread.ref();
    if (this.failure) return fail(this.failure);
    this.onFailure = fail;
    this.thread.postMessage({ kind, data });
  }

  send(kind: JobKind, start: number, items: readonly unknown[]): void {
    this.thread.postMessage({ kind, start, items });
  }

  end(): void {
    this.onResults = undefined;
    this.onFailure = undefined;
    this.thread.unref();
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  terminate(): Promise<number> {
    return this.thread.terminate();
  }
}

/** The command's worker threads: started early, reused by each job, closed at the end. */
export class Pool {
  private readonly workers: PoolWorker[] = [];
  private readonly busy = new Set<PoolWorker>();
  private closed = false;

  /** Starts workers now for work of `kind` expected on about `items` items, so they are loaded when it comes. */
  warm(kind: JobKind, items: number, minPerWorker: number, options?: PoolOptions): void {
    if (options?.mainThread === false) return; // a test that forces the spread sizes the pool itself
    for (const worker of this.take(workerCount(items, minPerWorker, options?.workers))) worker.load(kind);
  }

  /** Up to `count` idle workers, started as needed; those already loading `kind` first. */
  take(count: number, kind?: JobKind): PoolWorker[] {
    if (this.closed) return [];
    const idle = this.workers.filter((w) => !this.busy.has(w) && !w.broken);
    idle.sort((a, b) => Number(kind !== undefined && b.loading(kind)) - Number(kind !== undefined && a.loading(kind)));
    const taken = idle.slice(0, count);
    while (taken.length < count) {
      const worker = new PoolWorker();
      this.workers.push(worker);
      taken.push(worker);
    }
    return taken;
  }

  hold(worker: PoolWorker): void {
    this.busy.add(worker);
  }

  release(worker: PoolWorker): void {
    worker.end();
    this.busy.delete(worker);
  }

  /** Threads started and not closed. */
  get size(): number {
    return this.workers.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

interface Job<T, R> {
  kind: JobKind;
  items: readonly T[];
  chunkSize: number;
  /** Below this many items per extra thread, starting a worker (loading modules) costs more than it saves. */
  minPerWorker: number;
  /** The same function the worker runs (pool-worker.ts), for the main thread's share. */
  work: (items: T[]) => Promise<R[]>;
  /** What the worker's function gets beside the items, sent once per job. */
  data: unknown;
  options?: PoolOptions;
}

/** Runs a job on the pool's workers and this thread; without a pool, on workers started for it alone. */
export async function runChunks<T, R>(job: Job<T, R>, pool?: Pool): Promise<{ results: R[]; stats: PoolStats }> {
  const own = pool ? undefined : new Pool();
  try {
    return await spread(job, pool ?? own!);
  } finally {
    await own?.close();
  }
}

async function spread<T, R>(job: Job<T, R>, pool: Pool): Promise<{ results: R[]; stats: PoolStats }> {
  const { items, chunkSize, kind } = job;
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
  // A worker whose modules are not loaded by the time the main thread ran out of work is left out of
  // this job (it stays in the pool, loading, for the next).
  const notStarted = new Set<() => void>();
  const remote = (worker: PoolWorker) =>
    new Promise<void>((resolve, reject) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        notStarted.delete(finish);
        resolve();
      };
      notStarted.add(finish);
      let inFlight = 0;
      const send = () => {
        const chunk = take();
        if (chunk) {
          inFlight++;
          worker.send(kind, chunk.start, chunk.items);
        } else if (inFlight === 0) finish();
      };
      worker.onResults = (start, chunk) => {
        inFlight--;
        store(start, chunk as R[]);
        stats.filesInWorkers += chunk.length;
        send();
      };
      worker.begin(kind, job.data, reject);
      void worker.load(kind).then(() => {
        // Started only once its modules are loaded: until then the main thread keeps the chunks.
        if (!notStarted.has(finish)) return;
        notStarted.delete(finish);
        // Two chunks in flight, so a worker never idles while the busy main thread answers its message.
        send();
        send();
      });
    });
  const count = workerCount(items.length, job.minPerWorker, job.options?.workers);
  const workers = pool.take(count, kind);
  workers.forEach((w) => pool.hold(w));
  try {
    stats.workers = workers.length;
    const running = workers.map(remote);
    if (workers.length === 0 || job.options?.mainThread !== false) {
      await local();
      for (const finish of [...notStarted]) finish();
    }
    await Promise.all(running);
  } finally {
    workers.forEach((w) => pool.release(w));
  }
  return { results, stats };
}

/** Worker side (pool-worker.ts): loads each kind's function when asked, and answers each chunk with it. */
export function serveChunks(kinds: Record<JobKind, () => Promise<(items: unknown[], data: unknown) => Promise<unknown[]>>>): void {
  const work = new Map<JobKind, (items: unknown[], data: unknown) => Promise<unknown[]>>();
  const data = new Map<JobKind, unknown>();
  parentPort!.on('message', async (m: { load: JobKind } | { kind: JobKind; data: unknown } | { kind: JobKind; start: number; items: unknown[] }) => {
    if ('load' in m) {
      work.set(m.load, await kinds[m.load]());
      parentPort!.postMessage({ loaded: m.load });
    } else if ('data' in m) data.set(m.kind, m.data);
    else parentPort!.postMessage({ start: m.start, results: await work.get(m.kind)!(m.items, data.get(m.kind)) });
  });
}
