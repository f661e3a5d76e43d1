// "Am I affected?" in the browser: edges of every range, and the same answer as `advisories affected` on the CLI.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSite, openSite, type BrowserSite } from '../helpers/browser-site.ts';
import { advisory, cli, NOW } from '../helpers/project.ts';

// A: [1.0.0, 1.2.0)  B: [1.1.0, 1.3.1)  C: < 1.0.0, no fix  D: withdrawn  E: [1.2.0, 1.5.0)  F: embargoed, [1.0.0, 1.9.0)
const FILES = {
  'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: 'Advisory A', affected: '">=1.0.0 <1.2.0"', patched: '[1.2.0]', published: '2026-03-01T10:00:00Z' }),
  'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { title: 'Advisory B', severity: 'critical', affected: '">=1.1.0 <1.3.1"', patched: '[1.3.1]', published: '2026-03-02T10:00:00Z' }),
  'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', { title: 'Advisory C', affected: '"<1.0.0"', patched: '[]', published: '2026-03-03T10:00:00Z' }),
  'advisories/SBX-2026-0004.md': advisory('SBX-2026-0004', {
    title: 'Advisory D',
    affected: '">=1.0.0 <1.4.2"',
    patched: '[1.4.2]',
    published: '2026-03-04T10:00:00Z',
    withdrawn: '{ at: 2026-03-05T10:00:00Z, reason: "Not a vulnerability." }',
  }),
  'advisories/SBX-2026-0005.md': advisory('SBX-2026-0005', { title: 'Advisory E', severity: 'low', affected: '">=1.2.0 <1.5.0"', patched: '[1.5.0]', published: '2026-03-06T10:00:00Z' }),
  'advisories/SBX-2026-0006.md': advisory('SBX-2026-0006', { title: 'Advisory F', affected: '">=1.0.0 <1.9.0"', patched: '[1.9.0]', published: '2026-12-24T10:00:00Z' }),
};

let s: BrowserSite;
let page: Page;

beforeAll(async () => {
  s = await openSite(FILES);
  page = s.page;
  await page.goto(s.url + 'index.html');
});
afterAll(() => closeSite(s));

/** What the page answers: the advisory ids shown and the upgrade advice for each, as a reader sees them. */
async function check(version: string) {
  const answer = page.locator('#version-answer');
  await page.evaluate(() => document.getElementById('version-answer')!.replaceChildren());
  await page.fill('#version', version);
  await page.click('#version-form button');
  await answer.locator('p').first().waitFor();
  const items = await answer.locator('li').evaluateAll((lis) =>
    lis.map((li) => ({ id: li.querySelector('a')!.textContent!, advice: li.querySelector('.upgrade-to')!.textContent! })),
  );
  return { text: (await answer.textContent())!, items, ids: items.map((i) => i.id).sort() };
}

describe('the "Am I affected?" box', () => {
  it('answers in a live region that screen readers announce', async () => {
    expect(await page.locator('#version-answer').getAttribute('aria-live')).toBe('polite');
    expect(await page.getByLabel('Version you run').count()).toBe(1);
  });

  it.each([
    ['0.9.9', ['SBX-2026-0003']], // below every supported range: only the unsupported line
    ['1.0.0', ['SBX-2026-0001']], // exactly at A's introduced version
    ['1.1.0', ['SBX-2026-0001', 'SBX-2026-0002']], // inside A, exactly at B's introduced version
    ['1.2.0-beta.1', ['SBX-2026-0001', 'SBX-2026-0002']], // a prerelease just below A's fix
    ['1.2.0', ['SBX-2026-0002', 'SBX-2026-0005']], // exactly at A's fix and E's introduced version
    ['1.3.1', ['SBX-2026-0005']], // exactly at B's fix; D is withdrawn
    ['1.4.9', ['SBX-2026-0005']], // just below E's fix
    ['1.5.0', []], // exactly at E's fix; F (embargoed) would match
    ['8.0.0', []], // outside every range
  ])('%s is affected by %j', async (version, expected) => {
    const { ids, text } = await check(version);
    expect(ids).toEqual(expected);
    if (expected.length === 0) expect(text).toBe(`${version} is not affected by any published advisory.`);
    expect(text).not.toContain('SBX-2026-0006');
  });

  it('names the version to upgrade to for each advisory, or says there is no fix', async () => {
    expect((await check('1.1.0')).items).toEqual([
      { id: 'SBX-2026-0002', advice: 'Upgrade to 1.3.1' },
      { id: 'SBX-2026-0001', advice: 'Upgrade to 1.2.0' },
    ]);
    // 1.3.1 fixes both but is itself in E's range: the advice goes on to E's fix.
    expect(await page.locator('#version-answer .clean').textContent()).toBe('Upgrading to 1.5.0 fixes all of them: npm install scalebox-sdk@1.5.0');
    await check('1.4.9');
    expect(await page.locator('#version-answer .clean').textContent()).toBe('Upgrading to 1.5.0 fixes all of them: npm install scalebox-sdk@1.5.0');
    expect((await check('v0.5.0')).items).toEqual([{ id: 'SBX-2026-0003', advice: 'No fix for this line: upgrade to a supported line' }]);
    expect(await page.locator('#version-answer .clean').count()).toBe(0);
  });

  it('agrees with `advisories affected` on the CLI', async () => {
    for (const version of ['0.0.1', '0.9.9', '1.0.0', '1.0.1-rc.1', '1.1.0', '1.1.9', '1.2.0', '1.3.0', '1.3.1', '1.4.1', '1.4.2', '1.5.0', '2.0.0']) {
      const run = await cli(['affected', version, '--json', '--root', s.project.root, '--now', NOW]);
      const fromCli = (JSON.parse(run.stdout) as { id: string; upgradeTo: string | null }[])
        .map((v) => ({ id: v.id, advice: v.upgradeTo ? `Upgrade to ${v.upgradeTo}` : 'No fix for this line: upgrade to a supported line' }))
        .sort((a, b) => a.id.localeCompare(b.id));
      const fromPage = (await check(version)).items.sort((a, b) => a.id.localeCompare(b.id));
      expect(fromPage, version).toEqual(fromCli);
    }
  });

  it.each(['1.x', 'banana', '1.2', '>=1.0.0'])('says clearly that %j is not a version', async (input) => {
    const { text, items } = await check(input);
    expect(text).toBe(`“${input}” is not a valid version. Type an exact version such as 1.3.0 (not a range like 1.x).`);
    expect(items).toEqual([]);
    expect(await page.locator('#version').getAttribute('aria-invalid')).toBe('true');
  });
});
