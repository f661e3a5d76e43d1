// A rebuild renders only the site files whose inputs changed: a page, OSV record or CSAF document is
// recognised in the live site by the SHA-256 the store keeps for exactly its inputs. Whatever else they
// are made from changing (a template, the config, the policy, the tool itself) must show in the site.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { linkUnchanged } from '../../src/accel/site-links.ts';
import { Store } from '../../src/accel/store.ts';
import { writeSite } from '../../src/publish/write-site.ts';
import type { SiteContent } from '../../src/render/site-input.ts';
import { advisory, cli, NOW, SEED_POLICY, tempProject } from '../helpers/project.ts';
import { allContents } from '../helpers/site.ts';

const tool = vi.hoisted(() => ({ stamp: 'tool v1' }));
vi.mock('../../src/accel/stamp.ts', () => ({ toolStamp: () => tool.stamp }));

const work = mkdtempSync(join(tmpdir(), 'site-memo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The site built with acceleration off, and with it on over its own last site and store; their verbose report. */
async function builds(root: string, name: string) {
  const common = ['--root', root, '--now', NOW];
  const off = await cli(['build', ...common, '--out', join(work, `${name}-off`), '--state', join(work, `${name}-state-off`)], { ADVISORIES_ACCEL: '0' });
  const on = await cli(['build', ...common, '--out', join(work, 'site-on'), '--state', join(work, 'state-on'), '--verbose'], {});
  expect(off.code).toBe(0);
  expect(on.code).toBe(0);
  const store = /site store (\d+) hits, (\d+) misses/.exec(on.stderr)!;
  return { off: allContents(join(work, `${name}-off`)), on: allContents(join(work, 'site-on')), hits: Number(store[1]), misses: Number(store[2]) };
}

describe('site files known by their inputs', () => {
  it('renders again every file a changed template, config or policy reaches, and gives what the reference gives', async () => {
    const files = Object.fromEntries(['SBX-2026-0001', 'SBX-2026-0002', 'SBX-2026-0003'].map((id) => [`advisories/${id}.md`, advisory(id)]));
    const project = tempProject(files);
    const first = await builds(project.root, 'first');
    expect(first.on).toEqual(first.off);
    expect(first.hits).toBe(0);
    const perAdvisory = first.misses; // page, OSV record, CSAF document and its two digests
    expect(perAdvisory).toBe(15);

    const again = await builds(project.root, 'again');
    expect(again.on).toEqual(again.off);
    expect(again).toMatchObject({ hits: perAdvisory, misses: 0 });

    // A project's own page template.
    const template = readFileSync(new URL('../../templates/advisory.html.eta', import.meta.url), 'utf8');
    project.write('templates/advisory.html.eta', template.replace('</article>', '<p>Edited template</p></article>'));
    const templated = await builds(project.root, 'template');
    expect(templated.on).toEqual(templated.off);
    expect(templated.on.find(([path]) => path === 'advisories/SBX-2026-0001.html')![1].toString()).toContain('Edited template');
    expect(templated.misses).toBe(3); // the pages; OSV and CSAF do not read templates

    project.write('advisories.config.json', JSON.stringify({ package: 'scalebox-sdk', idPrefix: 'SBX', product: 'Renamed' }));
    const configured = await builds(project.root, 'config');
    expect(configured.on).toEqual(configured.off);
    expect(configured.misses).toBe(perAdvisory);

    // 1.x no longer supported: every advisory's lines change.
    project.write('SECURITY.md', SEED_POLICY.replace('| 1.x.x   | :white_check_mark: |', '| 1.x.x   | :x:                |\n| 2.x.x   | :white_check_mark: |'));
    const policed = await builds(project.root, 'policy');
    expect(policed.on).toEqual(policed.off);
    expect(policed.misses).toBe(perAdvisory);
    project.cleanup();
  }, 120_000);

  it("renders again when the tool's own code changes, and never takes a live file that is not the one it knows", async () => {
    const out = join(work, 'unit');
    const state = join(work, 'unit-state');
    let version = 'v1';
    const site = (): Map<string, SiteContent> => new Map([['page.html', { from: ['page', { title: 'same input' }], make: () => `made by ${version}` }]]);
    const build = async () => {
      const store = await Store.open<string>(state, 'site');
      const stats = { linked: 0, written: 0, known: 0, made: 0 };
      await writeSite(out, site(), linkUnchanged(out, stats, store));
      await store.save();
      return { stats, page: readFileSync(join(out, 'page.html'), 'utf8') };
    };
    expect(await build()).toEqual({ stats: { linked: 0, written: 1, known: 0, made: 1 }, page: 'made by v1' });
    expect(await build()).toEqual({ stats: { linked: 1, written: 0, known: 1, made: 0 }, page: 'made by v1' });

    // The same inputs, a new tool that makes other bytes from them.
    tool.stamp = 'tool v2';
    version = 'v2';
    expect(await build()).toEqual({ stats: { linked: 0, written: 1, known: 0, made: 1 }, page: 'made by v2' });

    // A hand edit in the live site: the store knows the file, the live bytes are not it.
    writeFileSync(join(out, 'page.html'), 'edited by hand');
    expect(await build()).toEqual({ stats: { linked: 0, written: 1, known: 0, made: 1 }, page: 'made by v2' });
  });
});
