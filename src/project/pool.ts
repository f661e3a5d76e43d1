// Checks many advisory files on every core. The main thread takes chunks from the same queue as the
// workers, so a small project never waits for a worker to start and a large one uses the whole machine.
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { toPosix } from '../load/read-files.ts';
import { checkFile, type FileResult, type SharedInput } from './check-file.ts';

/** Below this many files per extra thread, starting a worker (loading the modules) costs more than it saves. */
export const MIN_FILES_PER_WORKER = 800;
const CHUNK = 100;

export interface Chunk {
  start: number;
  paths: string[];
  lastCommits: (string | undefined)[];
}

export const checkChunk = (chunk: Chunk, shared: SharedInput) =>
  Promise.all(chunk.paths.map((path, i) => checkFile(path, shared, chunk.lastCommits[i])));

export interface PoolOptions {
  /** Worker threads; by default sized to the machine and the number of files. */
  workers?: number;
  /** Let the main thread check files too (default); off, every file goes to a worker. */
  mainThread?: boolean;
}

/** How the work was spread: observable by tests, unlike timing. */
export interface PoolStats {
  files: number;
  workers: number;
  filesInWorkers: number;
}

export function workerCount(files: number, forced?: number): number {
  if (forced !== undefined) return forced;
  return Math.max(0, Math.min(availableParallelism() - 1, Math.floor(files / MIN_FILES_PER_WORKER) - 1));
}

// bin/worker.js registers tsx first when running from the TypeScript sources (tsx, vitest).
const fromSource = import.meta.url.endsWith('.ts');

function startWorker(shared: SharedInput): Worker {
  const entry = new URL(`./check-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  return new Worker(new URL('../../bin/worker.js', import.meta.url), { workerData: { entry, fromSource, shared } });
}

export async function checkFiles(
  paths: readonly string[],
  shared: SharedInput,
  lastCommits?: ReadonlyMap<string, string>,
  options: PoolOptions = {},
): Promise<{ results: (FileResult | undefined)[]; stats: PoolStats }> {
  const stats: PoolStats = { files: paths.length, workers: 0, filesInWorkers: 0 };
  const results: (FileResult | undefined)[] = new Array(paths.length);
  let next = 0;
  const take = (): Chunk | undefined => {
    if (next >= paths.length) return undefined;
    const start = next;
    next = Math.min(paths.length, next + CHUNK);
    const slice = paths.slice(start, next);
    return { start, paths: slice, lastCommits: slice.map((p) => lastCommits?.get(toPosix(relative(shared.root, p)))) };
  };
  const store = (start: number, chunkResults: (FileResult | undefined)[]) => chunkResults.forEach((r, i) => (results[start + i] = r));

  const local = async () => {
    for (let chunk = take(); chunk; chunk = take()) store(chunk.start, await checkChunk(chunk, shared));
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
      worker.on('message', (m: { start: number; results: (FileResult | undefined)[] }) => {
        inFlight--;
        store(m.start, m.results);
        stats.filesInWorkers += m.results.length;
        send();
      });
      worker.on('error', reject);
      worker.on('online', () => {
        notStarted.delete(stop);
        // Two chunks in flight, so a worker never idles while the busy main thread answers its message.
        send();
        send();
      });
    });
  const workers = Array.from({ length: workerCount(paths.length, options.workers) }, () => startWorker(shared));
  try {
    stats.workers = workers.length;
    const running = workers.map(remote);
    if (workers.length === 0 || options.mainThread !== false) {
      await local();
      for (const stop of [...notStarted]) stop();
    }
    await Promise.all(running);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { results, stats };
}
