// The build cache makes rebuilds cheap but must never change a byte of the site: a changed advisory
// is rendered again, unchanged ones come from the cache, and a corrupt, truncated or stale cache is ignored.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { advisoryId, advisoryText } from '../bench/corpus.ts';
import { loadProject, publishedAdvisories } from '../src/project/load-project.ts';
import { prepareRendering, RENDER_CACHE } from '../src/project/render-cache.ts';
import { RENDERERS } from '../src/project/render-tasks.ts';
import { cli, NOW, tempProject } from './helpers/project.ts';
import { readTree } from './helpers/site.ts';

const N = 8;
/** Renderings per advisory: its page/feed HTML, and the OSV details of its body and of its summary. */
const PER = 3;
/** Those remark makes (the body's: a bare URL is outside the markdown-it fast path) and the cache keeps. */
const CACHED = 2;
const text = (i: number, variant = 0) => `${advisoryText(i, variant)}\nMore at https://example.com/advisories/${i}.\n`;
const files = Object.fromEntries(Array.from({ length: N }, (_, i) => [`advisories/${advisoryId(i)}.md`, text(i)]));
const project = tempProject(files);
afterAll(() => project.cleanup());
const state = join(project.root, 'state');
const cacheFile = join(state, RENDER_CACHE);

// Each CLI run in a real process starts with empty memos; clearing them makes the cache the only source.
beforeEach(() => Object.values(RENDERERS).forEach((r) => r.clear()));

const published = async () => publishedAdvisories(await loadProject({ root: project.root, now: new Date(NOW) }));
const build = async (out: string, stateDir = state) => {
  const r = await cli(['build', '--root', project.root, '--out', join(project.root, out), '--state', stateDir, '--now', NOW]);
  expect(r.code, r.stderr).toBe(0);
  return readTree(join(project.root, out));
};

describe('the build cache', () => {
  it('renders only the changed advisory on a rebuild, the rest comes from the cache', async () => {
    const cold = await prepareRendering(await published(), state, { workers: 1, mainThread: false });
    expect(cold.stats).toMatchObject({ hits: 0, misses: PER * N, corrupt: 0, stale: false, workers: 1 });
    await cold.save();
    expect(readFileSync(cacheFile, 'utf8').trim().split('\n')).toHaveLength(1 + CACHED * N);

    Object.values(RENDERERS).forEach((r) => r.clear());
    project.write(`advisories/${advisoryId(3)}.md`, text(3, 1));
    const warm = await prepareRendering(await published(), state);
    // The new variant changes the body (its two renderings), not the summary.
    // Summaries take the fast path: rendered every time, never cached.
    expect(warm.stats).toMatchObject({ hits: CACHED * N - 2, misses: N + 2, corrupt: 0, stale: false });
    await warm.save();
  });

  it('builds the same site from a worker-rendered cache as without any cache', async () => {
    const cached = await build('site-cached'); // state seeded by the test above, partly by a worker
    Object.values(RENDERERS).forEach((r) => r.clear());
    const fresh = await build('site-fresh', join(project.root, 'state-empty'));
    expect([...cached.keys()]).toEqual([...fresh.keys()]);
    for (const [path, bytes] of fresh) expect(cached.get(path)!.equals(bytes), path).toBe(true);
  });

  it('ignores corrupt and truncated entries and a cache from another tool version, and the site stays right', async () => {
    await build('site-a');
    const lines = readFileSync(cacheFile, 'utf8').split('\n');
    // Flip the text of one entry (its checksum no longer matches) and cut the file in the middle of another.
    lines[1] = lines[1]!.replace('<h2>Impact</h2>', '<h2>Pwned</h2><script>alert(1)</script>');
    lines[2] = lines[2]!.slice(0, 40);
    writeFileSync(cacheFile, lines.join('\n'));
    Object.values(RENDERERS).forEach((r) => r.clear());
    const check = await prepareRendering(await published(), state);
    expect(check.stats.corrupt).toBe(2);
    expect(check.stats.misses).toBe(N + 2);

    writeFileSync(cacheFile, lines.join('\n'));
    Object.values(RENDERERS).forEach((r) => r.clear());
    const afterCorruption = await build('site-b');
    Object.values(RENDERERS).forEach((r) => r.clear());
    const fresh = await build('site-c', join(project.root, 'state-empty-2'));
    for (const [path, bytes] of fresh) expect(afterCorruption.get(path)!.equals(bytes), path).toBe(true);
    expect([...afterCorruption.values()].some((b) => b.includes('Pwned'))).toBe(false);

    const header = JSON.parse(readFileSync(cacheFile, 'utf8').split('\n')[0]!);
    writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8').replace(header.context, 'f'.repeat(64)));
    Object.values(RENDERERS).forEach((r) => r.clear());
    const stale = await prepareRendering(await published(), state);
    expect(stale.stats).toMatchObject({ hits: 0, misses: PER * N, stale: true });
  });

  it('keeps the entries of advisories a rebuild carries over from the previous site without rendering them', async () => {
    rmSync(cacheFile, { force: true });
    await (await prepareRendering(await published(), state)).save();
    project.write(`advisories/${advisoryId(5)}.md`, text(5, 2));
    Object.values(RENDERERS).forEach((r) => r.clear());
    const all = await published();
    // What a rebuild renders when every other page is carried over: the edited advisory only.
    const rebuild = await prepareRendering(all.filter((a) => a.id === advisoryId(5)), state, { keep: all });
    expect(rebuild.stats).toMatchObject({ hits: 0, misses: PER });
    await rebuild.save();
    const keys = readFileSync(cacheFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0]);
    expect(new Set(keys).size).toBe(CACHED * N); // the edited one's new entries replace its old ones
    // An advisory that is gone takes its entries along; nothing is rendered to find that out.
    Object.values(RENDERERS).forEach((r) => r.clear());
    const rest = (await published()).filter((a) => a.id !== advisoryId(6));
    const without = await prepareRendering([], state, { keep: rest });
    expect(without.stats).toMatchObject({ hits: 0, misses: 0 });
    await without.save();
    const left = readFileSync(cacheFile, 'utf8').trim().split('\n').slice(1);
    expect(left).toHaveLength(CACHED * (N - 1));
    expect(left.some((line) => line.includes(advisoryId(6)))).toBe(false);
  });
});
