// Checks many advisory files on every core (workers.ts), each with the same checkFile.
import { rootRelative } from '../load/read-files.ts';
import { checkFile, type FileResult, type SharedInput } from './check-file.ts';
import { runChunks, type PoolOptions } from './workers.ts';

export type { PoolOptions, PoolStats } from './workers.ts';

export interface FileTask {
  path: string;
  lastCommit?: string;
}

export const checkTasks = (tasks: FileTask[], shared: SharedInput) => Promise.all(tasks.map((t) => checkFile(t.path, shared, t.lastCommit)));

export function checkFiles(paths: readonly string[], shared: SharedInput, lastCommits?: ReadonlyMap<string, string>, options?: PoolOptions) {
  const items = paths.map((path) => ({ path, lastCommit: lastCommits?.get(rootRelative(shared.root, path)) }));
  return runChunks<FileTask, FileResult | undefined>({
    items,
    chunkSize: 100,
    minPerWorker: 800,
    work: (tasks) => checkTasks(tasks, shared),
    entry: 'check-worker',
    data: shared,
    options,
  });
}
