// Worker side of the build's rendering: the same renderers as the main thread. The main thread keeps
// the outputs; the worker forgets them after each chunk so its memory stays flat.
import { RENDERERS, renderTasks, type RenderTask } from './render-tasks.ts';
import { serveChunks } from './workers.ts';

serveChunks(async (tasks: RenderTask[]) => {
  const outputs = await renderTasks(tasks);
  for (const renderer of Object.values(RENDERERS)) renderer.clear();
  return outputs;
});
