// Checks many advisory files on every core (workers.ts), each with the same checkFile as the reference,
// helped by the heading scanner (which defers to the full parse whenever it cannot be sure).
import { checkFile, type FileResult, type SharedInput } from '../check/check-file.ts';
import { scanHeadings } from './scan-headings.ts';
import { runChunks, type Pool, type PoolOptions } from './workers.ts';

export type { PoolOptions, PoolStats } from './workers.ts';

/** Files per extra thread below which a worker costs more than it saves. */
export const CHECK_PER_WORKER = 800;

export interface FileTask {
  path: string;
  lastCommit?: string;
  /** The file's bytes, when the caller has read them already (readAdvisoryBytes). */
  bytes?: Uint8Array;
}

/** A file's result, and whether its headings needed the full parse (the scanner could not say). */
export interface Checked {
  result: FileResult | undefined;
  parsed: boolean;
}

export const checkTasks = async (tasks: FileTask[], shared: SharedInput): Promise<Checked[]> =>
  tasks.map((t) => {
    let parsed = false;
    const headings = (text: string, offset: number, line: number) => scanHeadings(text, offset, line) ?? void (parsed = true);
    const result = checkFile(t.path, shared, { headings, ...(t.lastCommit ? { lastCommit: t.lastCommit } : {}), ...(t.bytes ? { bytes: t.bytes } : {}) });
    return { result, parsed };
  });

export function checkFiles(tasks: FileTask[], shared: SharedInput, options?: PoolOptions, pool?: Pool) {
  return runChunks<FileTask, Checked>(
    {
      kind: 'check',
      items: tasks,
      chunkSize: 100,
      minPerWorker: CHECK_PER_WORKER,
      work: (chunk) => checkTasks(chunk, shared),
      data: shared,
      ...(options ? { options } : {}),
    },
    pool,
  );
}
