// Entry of the pool's worker threads (workers.ts): the reference functions each kind of job runs, loaded
// on first use, so a worker started early for `check` does not load the Markdown pipeline it may never need.
import { serveChunks } from './workers.ts';

serveChunks({
  check: async () => {
    const { checkTasks } = await import('./check-pool.ts');
    return (tasks, shared) => checkTasks(tasks as Parameters<typeof checkTasks>[0], shared as Parameters<typeof checkTasks>[1]);
  },
  render: async () => {
    const { renderTasks } = await import('./markdown.ts');
    return async (tasks) => renderTasks(tasks as Parameters<typeof renderTasks>[0]);
  },
});
