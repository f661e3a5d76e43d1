// The build cache: Markdown rendered by remark (page/feed HTML and OSV details of bodies outside the
// markdown-it fast path, which is cheaper to redo than to read back, except for the feeds' items: the
// feeds render them on every build) stored in the state folder,
// content-addressed by the renderer's input and the tool's fingerprint. It only ever pre-seeds the
// renderers' memo with outputs whose checksum verifies; anything corrupt, truncated or from another
// version of the tool is ignored and rendered afresh, so the cache can make a build faster, never wrong.
import { hash } from 'node:crypto';
import { join } from 'node:path';
import type { Advisory } from '../model/advisory.ts';
import type { RenderWork } from '../render/site-input.ts';
import { detailsParts } from '../render/osv.ts';
import { toolFingerprint } from './fingerprint.ts';
import { bodyOf, lineOf, readLines, writeLines } from './line-store.ts';
import { runChunks, type PoolOptions } from './workers.ts';
import { RENDERERS, renderTasks, type RenderKind, type RenderTask } from './render-tasks.ts';

export const RENDER_CACHE = 'cache/render.jsonl';
const FORMAT = 'advisories-render-cache/5';

const sha256 = (text: string) => hash('sha256', text, 'hex');

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

interface Cached {
  output: string;
  /** Made by remark: kept while its advisory exists. Otherwise kept only while it is in a feed. */
  costly: boolean;
  /** The kind and the file of the advisory it was made for, e.g. `html:advisories/X.md`. */
  owner: string;
}

/** The cached outputs whose checksum holds, by key. */
async function loadEntries(path: string, stats: RenderCacheStats): Promise<Map<string, Cached>> {
  const { lines, stale } = await readLines(path, header());
  stats.stale = stale;
  const entries = new Map<string, Cached>();
  for (const [key, line] of lines) {
    const body = bodyOf(key, line);
    let entry: unknown;
    try {
      entry = body === undefined ? undefined : JSON.parse(body);
    } catch {
      entry = undefined;
    }
    if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'boolean' && typeof entry[2] === 'string') {
      entries.set(key, { output: entry[0], costly: entry[1], owner: entry[2] });
    }
    else stats.corrupt++;
  }
  return entries;
}

const ownerOf = (kind: RenderKind, a: Advisory) => `${kind}:${a.file}`;

/** Each rendering once: the body's two side by side, so one parse serves both. `owners`: each task's advisory. */
function tasksOf(work: RenderWork): { tasks: RenderTask[]; owners: string[] } {
  const seen = new Set<string>();
  const tasks: RenderTask[] = [];
  const owners: string[] = [];
  const add = (task: RenderTask, a: Advisory) => {
    if (!seen.has(`${task.kind}\0${task.input}`)) tasks.push(task), owners.push(ownerOf(task.kind, a)), seen.add(`${task.kind}\0${task.input}`);
  };
  const [html, osv] = [new Set(work.html), new Set(work.osv)];
  for (const a of new Set([...html, ...osv])) {
    const [summary, body] = detailsParts(a);
    if (html.has(a)) add({ kind: 'html', input: a.body }, a);
    if (osv.has(a)) add({ kind: 'osv', input: body }, a), add({ kind: 'osv', input: summary }, a);
  }
  return { tasks, owners };
}

/** All of an advisory's renderings. */
const everything = (advisories: readonly Advisory[]): RenderWork => ({ html: advisories, osv: advisories });

/**
 * Seeds the renderers with every cached output the work needs and renders the rest (on worker threads
 * when there are many). `save` writes back the entries this build used, and those of the advisories in
 * `keep` (carried over, so not rendered this time) that remark made.
 */
export async function prepareRendering(
  what: readonly Advisory[] | RenderWork,
  state: string,
  options?: PoolOptions & { keep?: readonly Advisory[] },
) {
  const work = Array.isArray(what) ? everything(what as readonly Advisory[]) : (what as RenderWork);
  const path = join(state, RENDER_CACHE);
  const stats: RenderCacheStats = { hits: 0, misses: 0, corrupt: 0, stale: false, workers: 0 };
  const cached = await loadEntries(path, stats);
  const { tasks, owners } = tasksOf(work);
  const missing: RenderTask[] = [];
  for (const task of tasks) {
    // Hashing every input is only worth it when there is a cache to look in.
    const entry = cached.size > 0 ? cached.get(keyOf(task)) : undefined;
    if (entry === undefined) missing.push(task);
    else RENDERERS[task.kind].seed(task.input, entry.output, entry.costly), stats.hits++;
  }
  stats.misses = missing.length;
  const rendered = await runChunks({ items: missing, chunkSize: 24, minPerWorker: 100, work: renderTasks, entry: 'render-worker', data: null, options });
  stats.workers = rendered.stats.workers;
  missing.forEach((task, i) => RENDERERS[task.kind].seed(task.input, rendered.results[i]!.output, rendered.results[i]!.costly));

  async function save(): Promise<void> {
    const lines: string[] = [];
    const written = new Set<string>();
    const line = (key: string, output: string, costly: boolean, owner: string) => {
      lines.push(lineOf(key, JSON.stringify([output, costly, owner])));
      written.add(key);
    };
    const lasting = new Set((work.feeds ?? []).map((a) => a.body));
    tasks.forEach((task, i) => {
      const renderer = RENDERERS[task.kind as RenderKind];
      const output = renderer.peek(task.input);
      const costly = renderer.costly(task.input);
      if (output !== undefined && (costly || (task.kind === 'html' && lasting.has(task.input)))) line(keyOf(task), output, costly, owners[i]!);
    });
    // remark's entries for advisories this build did not render (carried over from the previous site)
    // stay while their advisory exists; what this build rendered of an advisory replaces what was there.
    // Found by owner, not by hashing every body: that would read every advisory's body (and parse every
    // cached model's bulky parts, project/lazy-model.ts). A key this build wrote above is there already
    // (remark's verdict is the input's, so a task of a cached costly entry's key was written).
    if (options?.keep) {
      const live = new Set(options.keep.map((a) => a.file));
      const renewed = new Set(owners);
      const fileOf = (owner: string) => owner.slice(owner.indexOf(':') + 1);
      for (const [key, entry] of cached) {
        const { owner } = entry;
        if (entry.costly && live.has(fileOf(owner)) && !renewed.has(owner) && !written.has(key)) line(key, entry.output, true, owner);
      }
    }
    // Nothing new and nothing dropped: the file already says this.
    if (lines.length === cached.size && lines.every((l) => cached.has(l.slice(0, l.indexOf('\t'))))) return;
    await writeLines(path, header(), lines);
  }
  return { stats, save };
}
