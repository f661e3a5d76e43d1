// index.html and index.json are each advisory's share joined; a rebuild takes the unchanged shares from
// the state folder. That must never change a byte: an edited advisory's share is made again, a damaged
// one is ignored, and a project's own index template written for the full list still gets it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryId, advisoryText } from '../bench/corpus.ts';
import { loadTemplates } from '../src/deliver/templates.ts';
import { toolFingerprint } from '../src/project/fingerprint.ts';
import { INDEX_CACHE, prepareIndexParts } from '../src/project/index-cache.ts';
import { loadProject, publishedAdvisories } from '../src/project/load-project.ts';
import type { SiteInput } from '../src/render/site-input.ts';
import { cli, NOW, tempProject } from './helpers/project.ts';
import { readTree } from './helpers/site.ts';

const N = 6;
const files = Object.fromEntries(Array.from({ length: N }, (_, i) => [`advisories/${advisoryId(i)}.md`, advisoryText(i)]));
const project = tempProject(files);
afterAll(() => project.cleanup());
const state = join(project.root, 'state');
const cacheFile = join(state, INDEX_CACHE);

let builds = 0;
/** A build through the CLI into a new folder, with the shared state or a new one (a build from scratch). */
async function build(stateDir = state) {
  const out = join(project.root, `site-${++builds}`);
  const r = await cli(['build', '--root', project.root, '--out', out, '--state', stateDir, '--now', NOW]);
  expect(r.code, r.stderr).toBe(0);
  return readTree(out);
}
const fromScratch = () => build(join(project.root, `state-empty-${builds}`));

/** What the build hands the index cache. */
async function siteInput(): Promise<SiteInput> {
  const p = await loadProject({ root: project.root, now: new Date(NOW), cacheDir: state });
  return { advisories: publishedAdvisories(p), config: p.config, policy: p.policy, templates: await loadTemplates(project.root), fingerprint: toolFingerprint(), sourceKey: p.sourceKey };
}

const INDEX_FILES = ['index.html', 'index.json'];
function expectSameIndexFiles(a: Map<string, Buffer>, b: Map<string, Buffer>) {
  for (const path of INDEX_FILES) expect(a.get(path)!.toString(), path).toBe(b.get(path)!.toString());
}

describe('the index shares cache', () => {
  it('keeps one share per advisory, and a rebuild after an edit makes only the edited one again', async () => {
    await build();
    expect(readFileSync(cacheFile, 'utf8')).toContain(`"count":${N}`);

    project.write(`advisories/${advisoryId(2)}.md`, advisoryText(2, 1));
    const warm = await prepareIndexParts(await siteInput(), state);
    expect(warm.stats).toEqual({ hits: N - 1, misses: 1, ignored: false });

    const rebuilt = await build();
    expect(rebuilt.get('index.html')!.toString()).toContain('(case 2) rev 1');
    expectSameIndexFiles(rebuilt, await fromScratch());
    // Unchanged since: the next build makes none.
    expect((await prepareIndexParts(await siteInput(), state)).stats).toEqual({ hits: N, misses: 0, ignored: false });
    // The edit appended a segment with the one share made; the first segment's copy of it is stale.
    expect(readFileSync(cacheFile, 'utf8').match(/"format":"advisories-index-parts\/\d+"/g)).toHaveLength(2);
  });

  it('rewrites the file with the live shares once half of it is stale', async () => {
    const counts = () => [...readFileSync(cacheFile, 'utf8').matchAll(/"count":(\d+)/g)].map((m) => Number(m[1]));
    let compacted = false;
    for (let round = 1; round <= 14; round++) {
      const before = counts().length;
      for (let i = 0; i < N; i++) project.write(`advisories/${advisoryId(i)}.md`, advisoryText(i, 10 + round));
      await build();
      compacted ||= counts().length < before;
      // At most as many stale shares as live ones (plus a little slack for small sites), and this build's.
      expect(counts().reduce((a, b) => a + b)).toBeLessThanOrEqual(3 * N + 64);
    }
    expect(compacted).toBe(true);
    expect((await prepareIndexParts(await siteInput(), state)).stats).toEqual({ hits: N, misses: 0, ignored: false });
    expectSameIndexFiles(await build(), await fromScratch());
  });

  it('ignores a damaged or cut file instead of trusting it, and the index files stay right', async () => {
    await build();
    const good = readFileSync(cacheFile, 'utf8');
    const damaged = [
      good.replace('advisory-item', 'advisory-item"><script>alert(1)</script><li class="x'),
      good.slice(0, good.length - 100),
      good.replace(/"context":"[0-9a-f]+"/, `"context":"${'f'.repeat(64)}"`),
    ];
    for (const text of damaged) {
      writeFileSync(cacheFile, text);
      // What comes before the damage may still be used; nothing from it on is.
      const { stats } = await prepareIndexParts(await siteInput(), state);
      expect(stats.ignored).toBe(true);
      expect(stats.hits).toBeLessThan(N);
      const rebuilt = await build();
      expect(rebuilt.get('index.html')!.toString()).not.toContain('<script>alert(1)');
      expectSameIndexFiles(rebuilt, await fromScratch());
      // The build wrote it anew.
      expect((await prepareIndexParts(await siteInput(), state)).stats).toEqual({ hits: N, misses: 0, ignored: false });
    }
  });

  it("gives a project's own index template that lists `it.advisories` (as earlier versions did) every advisory", async () => {
    const own = project.write(
      'templates/index.html.eta',
      '<% layout(\'@layout.html.eta\', { title: \'Own\', description: \'Own\', site: it.site, root: it.root, canonical: it.canonical }) %>' +
        '<ul><% for (const a of it.advisories) { %><li data-severity="<%= a.severity %>"><%= a.title %> (<%= a.published.text %>)</li><% } %></ul><p><%= it.count %></p>',
    );
    try {
      const html = (await build()).get('index.html')!.toString();
      expect(html.match(/<li data-severity=/g)).toHaveLength(N);
      expect(html).toContain(`<p>${N}</p>`);
    } finally {
      rmSync(own);
    }
  });
});
