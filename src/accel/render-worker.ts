// Worker side of markdown.ts: the reference renderer, nothing else.
import { renderTasks, type RenderTask } from './markdown.ts';
import { serveChunks } from './workers.ts';

serveChunks(async (tasks: RenderTask[]) => renderTasks(tasks));
