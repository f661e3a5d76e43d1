// "Am I affected?" on the site of a PyPI project: PEP 440 versions compared as pip compares them, the
// same answers as `advisories affected`, and a pip command to upgrade.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSite, openSite, type BrowserSite } from '../helpers/browser-site.ts';
import { advisory, cli, NOW } from '../helpers/project.ts';

const FILES = {
  'advisories.config.json': JSON.stringify({ package: 'acme-sdk', ecosystem: 'PyPI', idPrefix: 'ACME', product: 'acme-sdk' }),
  'SECURITY.md': readFileSync(new URL('../check/security-md/python-sdk.md', import.meta.url), 'utf8'),
  'advisories/ACME-2026-0001.md': advisory('ACME-2026-0001', { affected: '">=2.0.0,<2.4.1"', patched: '[2.4.1]', published: '2026-03-01T10:00:00Z' }),
  'advisories/ACME-2026-0002.md': advisory('ACME-2026-0002', {
    severity: 'critical',
    affected: '[">=2.4.0,<2.4.2", ">=3.0.0,<3.0.4"]',
    patched: '[2.4.2, 3.0.4]',
    published: '2026-03-02T10:00:00Z',
  }),
};

let s: BrowserSite;
let page: Page;
beforeAll(async () => {
  s = await openSite(FILES);
  page = s.page;
  await page.goto(s.url + 'index.html');
});
afterAll(() => closeSite(s));

async function check(version: string) {
  const answer = page.locator('#version-answer');
  await page.evaluate(() => document.getElementById('version-answer')!.replaceChildren());
  await page.fill('#version', version);
  await page.click('#version-form button');
  await answer.locator('p').first().waitFor();
  const ids = await answer.locator('li a').evaluateAll((as) => as.map((a) => a.textContent!).sort());
  return { text: (await answer.textContent())!, ids };
}

describe('"Am I affected?" for a PyPI package', () => {
  it('asks for a version as pip users write one', async () => {
    expect(await page.locator('#version').getAttribute('placeholder')).toBe('e.g. 2.4.1');
  });

  it.each([
    ['1.9', []],
    ['2.0.0rc1', []], // a pre-release of 2.0.0 comes before it
    ['2.0', ['ACME-2026-0001']],
    ['2.4.0.post1', ['ACME-2026-0001', 'ACME-2026-0002']],
    ['2.4.1rc1', ['ACME-2026-0001', 'ACME-2026-0002']],
    ['2.4.1', ['ACME-2026-0002']],
    ['2.4.2', []],
    ['3.0.3', ['ACME-2026-0002']],
    ['3.1.1.post1', []],
  ])('%s is affected by %j', async (version, expected) => {
    expect((await check(version)).ids).toEqual(expected);
  });

  it('advises the pip command that fixes all of them', async () => {
    await check('2.4.0');
    expect(await page.locator('#version-answer .clean').textContent()).toBe('Upgrading to 2.4.2 fixes all of them: pip install --upgrade "acme-sdk>=2.4.2"');
  });

  it('agrees with `advisories affected` on the CLI', async () => {
    for (const version of ['1.9', '2.0', '2.4.0.post1', '2.4.1rc1', '2.4.1', '3.0.3', '3.0.4']) {
      const run = await cli(['affected', version, '--json', '--root', s.project.root, '--now', NOW]);
      const fromCli = (JSON.parse(run.stdout) as { id: string }[]).map((v) => v.id).sort();
      expect((await check(version)).ids, version).toEqual(fromCli);
    }
  });

  it('says what a version looks like when the input is none', async () => {
    expect((await check('banana')).text).toBe('“banana” is not a valid version. Type an exact version such as 2.4.1 (not a range like 1.x).');
  });
});
