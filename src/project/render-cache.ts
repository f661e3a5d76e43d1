// The build cache: Markdown rendered by remark (page/feed HTML and OSV details of bodies outside the
// markdown-it fast path, which is cheaper to redo than to read back) stored in the state folder,
// content-addressed by the renderer's input and the tool's fingerprint. It only ever pre-seeds the
// renderers' memo with outputs whose checksum verifies; anything corrupt, truncated or from another
// version of the tool is ignored and rendered afresh, so the cache can make a build faster, never wrong.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Advisory } from '../model/advisory.ts';
import { detailsParts } from '../render/osv.ts';
import { toolFingerprint } from './fingerprint.ts';
import { bodyOf, lineOf, readLines, writeLines } from './line-store.ts';
import { runChunks, type PoolOptions } from './workers.ts';
import { RENDERERS, renderTasks, type RenderKind, type RenderTask } from './render-tasks.ts';

export const RENDER_CACHE = 'cache/render.jsonl';
const FORMAT = 'advisories-render-cache/2';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const keyOf = (task: RenderTask) => sha256(`${toolFingerprint()}\0${task.kind}\0${task.input}`);
const header = () => ({ format: FORMAT, context: toolFingerprint() });

export interface RenderCacheStats {
  hits: number;
  misses: number;
  /** Entries dropped because their checksum or shape was wrong. */
  corrupt: number;
  /** The whole cache was written by another version of the tool (or is not a cache). */
  stale: boolean;
  workers: number;
}

/** The cached outputs whose checksum holds, by key. */
async function loadEntries(path: string, stats: RenderCacheStats): Promise<Map<string, string>> {
  const { lines, stale } = await readLines(path, header());
  stats.stale = stale;
  const entries = new Map<string, string>();
  for (const [key, line] of lines) {
    const body = bodyOf(key, line);
    let output: unknown;
    try {
      output = body === undefined ? undefined : JSON.parse(body);
    } catch {
      output = undefined;
    }
    if (typeof output === 'string') entries.set(key, output);
    else stats.corrupt++;
  }
  return entries;
}

/** Each advisory's renderings, once each: the body's two side by side, so one parse serves both. */
function tasksOf(advisories: readonly Advisory[]): RenderTask[] {
  const seen = new Set<string>();
  const tasks: RenderTask[] = [];
  for (const a of advisories) {
    const [summary, body] = detailsParts(a);
    for (const task of [{ kind: 'html', input: a.body }, { kind: 'osv', input: body }, { kind: 'osv', input: summary }] as const) {
      if (!seen.has(`${task.kind}\0${task.input}`)) tasks.push(task), seen.add(`${task.kind}\0${task.input}`);
    }
  }
  return tasks;
}

/**
 * Seeds the renderers with every cached output the advisories need and renders the rest (on worker
 * threads when there are many). `save` writes back exactly the entries this build used.
 */
export async function prepareRendering(advisories: readonly Advisory[], state: string, options?: PoolOptions & { keep?: readonly Advisory[] }) {
  const path = join(state, RENDER_CACHE);
  const stats: RenderCacheStats = { hits: 0, misses: 0, corrupt: 0, stale: false, workers: 0 };
  const cached = await loadEntries(path, stats);
  const tasks = tasksOf(advisories);
  const missing: RenderTask[] = [];
  for (const task of tasks) {
    // Hashing every input is only worth it when there is a cache to look in.
    const output = cached.size > 0 ? cached.get(keyOf(task)) : undefined;
    if (output === undefined) missing.push(task);
    else RENDERERS[task.kind].seed(task.input, output, true), stats.hits++;
  }
  stats.misses = missing.length;
  const rendered = await runChunks({ items: missing, chunkSize: 24, minPerWorker: 100, work: renderTasks, entry: 'render-worker', data: null, options });
  stats.workers = rendered.stats.workers;
  missing.forEach((task, i) => RENDERERS[task.kind].seed(task.input, rendered.results[i]!.output, rendered.results[i]!.costly));

  async function save(): Promise<void> {
    const lines: string[] = [];
    // Entries of advisories this build did not render (carried over from the previous site) stay.
    if (cached.size > 0 && options?.keep) {
      const rendered = new Set(tasks.map(keyOf));
      for (const key of new Set(tasksOf(options.keep).map(keyOf))) {
        const output = cached.get(key);
        if (output !== undefined && !rendered.has(key)) lines.push(lineOf(key, JSON.stringify(output)));
      }
    }
    for (const task of tasks) {
      const renderer = RENDERERS[task.kind as RenderKind];
      const output = renderer.peek(task.input);
      if (output !== undefined && renderer.costly(task.input)) lines.push(lineOf(keyOf(task), JSON.stringify(output)));
    }
    await writeLines(path, header(), lines);
  }
  return { stats, save };
}
