// Worker side of check-pool.ts: the same per-file check as the main thread.
import type { SharedInput } from '../check/check-file.ts';
import { checkTasks, type FileTask } from './check-pool.ts';
import { serveChunks } from './workers.ts';

serveChunks((tasks: FileTask[], shared: SharedInput) => checkTasks(tasks, shared));
