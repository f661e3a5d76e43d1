// Worker side of the build's rendering: the same renderers as the main thread.
import { renderTasks } from './render-tasks.ts';
import { serveChunks } from './workers.ts';

serveChunks(renderTasks);
