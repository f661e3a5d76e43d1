// Worker side of pool.ts: the same per-file check as the main thread.
import type { SharedInput } from './check-file.ts';
import { checkTasks } from './pool.ts';
import { serveChunks } from './workers.ts';

serveChunks(checkTasks as (tasks: Parameters<typeof checkTasks>[0], shared: SharedInput) => ReturnType<typeof checkTasks>);
