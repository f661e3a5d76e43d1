// Checks many advisory files on every core (workers.ts), each with the same checkFile as the reference,
// helped by the heading scanner (which defers to the full parse whenever it cannot be sure).
import { checkFile, type FileResult, type SharedInput } from '../check/check-file.ts';
import { scanHeadings } from './scan-headings.ts';
import { runChunks, type PoolOptions } from './workers.ts';

export type { PoolOptions, PoolStats } from './workers.ts';

export interface FileTask {
  path: string;
  lastCommit?: string;
}

export const checkTasks = async (tasks: FileTask[], shared: SharedInput) =>
  tasks.map((t) => checkFile(t.path, shared, { headings: scanHeadings, ...(t.lastCommit ? { lastCommit: t.lastCommit } : {}) }));

export function checkFiles(tasks: FileTask[], shared: SharedInput, options?: PoolOptions) {
  return runChunks<FileTask, FileResult | undefined>({
    items: tasks,
    chunkSize: 100,
    minPerWorker: 800,
    work: (chunk) => checkTasks(chunk, shared),
    entry: 'check-worker',
    data: shared,
    options,
  });
}
