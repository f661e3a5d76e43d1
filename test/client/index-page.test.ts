// The index and advisory pages as a reader uses them, in Debian's chromium: list, filters, search, pages, axe, screenshots.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSite, openSite, type BrowserSite } from '../helpers/browser-site.ts';
import { advisory, DEFAULT_BODY } from '../helpers/project.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

const FILES = {
  'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', {
    title: 'Sandbox escape through path traversal',
    severity: 'critical',
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
    affected: '">=1.0.0 <1.2.3"',
    patched: '[1.2.3]',
    aliases: '[CVE-2026-31337]',
    cwe: '[CWE-22]',
    reported: '2026-01-20',
    published: '2026-02-02T18:00:00Z',
  }),
  'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', {
    title: 'API key written to debug logs',
    summary: 'The Authorization header was logged in full.',
    aliases: '[CVE-2026-40112, GHSA-4x7q-9rjm-c2vw]',
    published: '2026-04-13T09:30:00Z',
  }),
  'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', {
    title: 'Shell injection in the legacy exec helper',
    severity: 'medium',
    affected: '"<1.0.0"',
    patched: '[]',
    published: '2026-05-14T15:00:00Z',
  }),
  'advisories/SBX-2026-0004.md': advisory('SBX-2026-0004', {
    title: 'Unbounded websocket reconnects',
    severity: 'low',
    published: '2026-08-20T10:00:00Z',
    withdrawn: '{ at: 2026-08-27T16:00:00Z, reason: "Not a vulnerability: the server rate-limits reconnects." }',
  }),
  'advisories/SBX-2026-0005.md': advisory('SBX-2026-0005', { title: 'Embargoed network policy bypass', published: '2026-12-14T14:00:00Z' }, DEFAULT_BODY),
};
const PUBLISHED = ['SBX-2026-0004', 'SBX-2026-0003', 'SBX-2026-0002', 'SBX-2026-0001']; // newest first

let s: BrowserSite;
let page: Page;

beforeAll(async () => {
  s = await openSite(FILES);
  page = s.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => closeSite(s));

async function open(path: string): Promise<Page> {
  await page.goto(s.url + path);
  return page;
}
const listedIds = (page: Page) => page.locator('#advisory-list > li:visible .meta-id').allTextContents();

const allFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? allFiles(join(dir, n)) : [join(dir, n)]));

describe('the index page', () => {
  it('lists every published advisory newest first, with severity, CVSS, date and withdrawn marked, and no embargoed one', async () => {
    await open('index.html');
    expect(await listedIds(page)).toEqual(PUBLISHED);
    const first = page.locator('li[data-id="SBX-2026-0001"]');
    expect(await first.locator('.badge').first().textContent()).toBe('Critical');
    expect(await first.locator('.meta-cvss').textContent()).toBe('CVSS 9.9');
    expect(await first.locator('time').getAttribute('datetime')).toBe('2026-02-02T18:00:00Z');
    expect(await page.locator('li[data-id="SBX-2026-0004"] .badge-withdrawn').textContent()).toBe('Withdrawn');
    expect(await page.getByText('Embargoed network policy bypass').count()).toBe(0);
    for (const file of allFiles(s.site)) expect(readFileSync(file, 'utf8'), file).not.toContain('SBX-2026-0005');
  });

  it('works without JavaScript: the list is there and the script-only tools stay hidden', async () => {
    const noJs = await s.browser.newPage({ javaScriptEnabled: false });
    await noJs.goto(s.url + 'index.html');
    expect(await listedIds(noJs)).toEqual(PUBLISHED);
    expect(await noJs.locator('#check').isVisible()).toBe(false);
    await noJs.close();
  });

  it('filters by severity and searches by id, words, CVE and GHSA alias', async () => {
    await open('index.html');
    await page.selectOption('#severity', 'critical');
    expect(await listedIds(page)).toEqual(['SBX-2026-0001']);
    expect(await page.locator('#filter-status').textContent()).toBe('Showing 1 of 4 advisories.');
    await page.selectOption('#severity', '');
    const search = async (q: string) => (await page.fill('#search', q), listedIds(page));
    expect(await search('sbx-2026-0003')).toEqual(['SBX-2026-0003']);
    expect(await search('debug logs')).toEqual(['SBX-2026-0002']);
    expect(await search('CVE-2026-31337')).toEqual(['SBX-2026-0001']);
    expect(await search('GHSA-4x7q-9rjm-c2vw')).toEqual(['SBX-2026-0002']);
    expect(await search('no such thing')).toEqual([]);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    await page.selectOption('#severity', 'high');
    expect(await search('')).toEqual(['SBX-2026-0002']);
  });

  it('offers the three feeds to feed readers on every page', async () => {
    for (const path of ['index.html', ...PUBLISHED.map((id) => `advisories/${id}.html`)]) {
      await open(path);
      const feeds = await page.locator('link[rel="alternate"]').evaluateAll((links) => links.map((l) => [l.getAttribute('type'), (l as HTMLLinkElement).href]));
      const base = new URL(s.url);
      expect(feeds, path).toEqual([
        ['application/rss+xml', new URL('feed.xml', base).href],
        ['application/atom+xml', new URL('atom.xml', base).href],
        ['application/feed+json', new URL('feed.json', base).href],
      ]);
    }
  });
});

describe('an advisory page', () => {
  it('shows severity, CVSS score and vector, versions per line, a copyable upgrade command and linked aliases and CWE', async () => {
    await open('advisories/SBX-2026-0001.html');
    expect(await page.locator('h1').textContent()).toBe('Sandbox escape through path traversal');
    expect(await page.locator('.facts .badge-critical').textContent()).toBe('Critical');
    expect(await page.locator('.facts .score').textContent()).toBe('9.9');
    expect(await page.locator('.facts .vector').textContent()).toBe('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H');
    const rows = await page.locator('table.lines tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toEqual([
      ['1.x.x', 'Yes', 'Yes', 'Fixed in 1.2.3'],
      ['< 1.0', 'No', 'No', 'Not affected'],
    ]);
    expect(await page.locator('#upgrade-0').textContent()).toBe('npm install scalebox-sdk@1.2.3');
    await page.locator('button.copy').click();
    await expect.poll(() => page.locator('button.copy').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('npm install scalebox-sdk@1.2.3');
    expect(await page.getByRole('link', { name: 'CVE-2026-31337' }).getAttribute('href')).toBe('https://www.cve.org/CVERecord?id=CVE-2026-31337');
    expect(await page.getByRole('link', { name: 'CWE-22' }).getAttribute('href')).toBe('https://cwe.mitre.org/data/definitions/22.html');
    const other = await open('advisories/SBX-2026-0002.html');
    expect(await other.getByRole('link', { name: 'GHSA-4x7q-9rjm-c2vw' }).getAttribute('href')).toBe('https://github.com/advisories/GHSA-4x7q-9rjm-c2vw');
  });

  it('says there is no fix for unsupported versions, and shows a withdrawn advisory with its reason', async () => {
    const unsupported = await open('advisories/SBX-2026-0003.html');
    expect(await unsupported.locator('.upgrade').textContent()).toContain('No fix for unsupported versions');
    expect(await unsupported.locator('.upgrade pre').count()).toBe(0);
    const withdrawn = await open('advisories/SBX-2026-0004.html');
    expect(await withdrawn.locator('.banner').textContent()).toMatch(/Withdrawn on 27 Aug 2026\.\s+Not a vulnerability: the server rate-limits reconnects\./);
  });
});

describe('accessibility and looks', () => {
  it('axe-core finds no serious or critical violations on the index and an advisory page', async () => {
    // The axe script is injected by the test; only this context bypasses the page's CSP to allow that.
    const context = await s.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['index.html', 'advisories/SBX-2026-0001.html']) {
      await page.goto(s.url + path);
      if (path === 'index.html') {
        await page.fill('#version', '1.1.0');
        await page.click('#version-form button');
        await page.locator('#version-answer li').first().waitFor();
      }
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), path).toEqual([]);
    }
    await context.close();
  });

  it('fits a phone and a desktop screen without sideways scrolling (screenshots saved to test-artifacts/)', async () => {
    for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]] as const) {
      for (const [label, path] of [['index', 'index.html'], ['advisory', 'advisories/SBX-2026-0001.html']] as const) {
        await page.setViewportSize(viewport);
        await open(path);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label} at ${name}`).toBeLessThanOrEqual(viewport.width);
        await page.screenshot({ path: join(ARTIFACTS, `${label}-${name}.png`), fullPage: true });
      }
    }
  });

  it('prints the content without the site chrome and the interactive tools', async () => {
    await open('index.html');
    await page.locator('#check').waitFor();
    await page.emulateMedia({ media: 'print' });
    for (const chrome of ['.site-header', '#check', '#filters', '.site-footer']) expect(await page.locator(chrome).isVisible(), chrome).toBe(false);
    expect(await listedIds(page)).toEqual(PUBLISHED);
    await page.emulateMedia({ media: 'screen' });
  });
});
