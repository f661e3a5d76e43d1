// A hostile advisory: script, event-handler and javascript: payloads in title, summary, credits and body never run.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSite, openSite, type BrowserSite } from '../helpers/browser-site.ts';
import { advisory } from '../helpers/project.ts';

// Each payload sets a global flag and opens a dialog if it ever runs.
const RUN = 'window.__pwned=1;alert(1)';
const TITLE = `'<script>${RUN}</script><img src=x onerror="${RUN}">'`;
const SUMMARY = `'<svg onload="${RUN}"></svg><a href="javascript:${RUN}">x</a>'`;
const BODY = [
  '## Impact',
  '',
  `<script>${RUN}</script>`,
  '',
  `<img src="x" onerror="${RUN}">`,
  '',
  `[click me](javascript:${RUN})`,
  '',
  `<a href="javascript:${RUN}">raw link</a> <a href="JaVaScRiPt:${RUN}">mixed case</a>`,
  '',
  `<iframe src="javascript:${RUN}"></iframe><svg><script>${RUN}</script></svg>`,
  '',
  `<div onmouseover="${RUN}" style="position:fixed;inset:0">hover</div>`,
  '',
  '## Patches',
  '',
  'Upgrade.',
  '',
].join('\n');

let s: BrowserSite;

beforeAll(async () => {
  s = await openSite({
    'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: TITLE, summary: SUMMARY, credits: `['<img src=x onerror="${RUN}">']` }, BODY),
  });
});
afterAll(() => closeSite(s));

/** Visits every page, hovers and clicks every link, and reports whatever the payload managed. */
async function attack(context: BrowserContext) {
  const ran: string[] = [];
  const page: Page = await context.newPage();
  page.on('dialog', (d) => (ran.push(`dialog: ${d.message()}`), void d.dismiss()));
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('404') && ran.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => ran.push(`pageerror: ${e.message}`));
  for (const path of ['index.html', 'advisories/SBX-2026-0001.html']) {
    await page.goto(s.url + path);
    await page.mouse.move(200, 300);
    for (const link of await page.locator('main a').all()) {
      const href = (await link.getAttribute('href')) ?? '';
      if (href.toLowerCase().includes('javascript')) ran.push(`javascript: link survived: ${href}`);
    }
    ran.push(...(await page.evaluate(() => ('__pwned' in window ? ['global flag set'] : []))));
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
    );
    ran.push(...handlers.map((h) => `event handler in DOM: ${h}`));
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src || `inline: ${s.textContent}`));
    expect(scripts.map((s) => new URL(s, 'http://x').pathname)).toEqual(['/assets/app.js']);
  }
  await page.close();
  return ran;
}

describe('a hostile advisory', () => {
  it('shows its text, escaped, and nothing in it runs', async () => {
    const context = await s.browser.newContext();
    expect(await attack(context)).toEqual([]);
    const page = await context.newPage();
    await page.goto(s.url + 'advisories/SBX-2026-0001.html');
    expect(await page.locator('h1').textContent()).toBe(`<script>${RUN}</script><img src=x onerror="${RUN}">`);
    await context.close();
  });

  it('stays harmless even with the Content-Security-Policy switched off: the markup itself is clean', async () => {
    const context = await s.browser.newContext({ bypassCSP: true });
    expect(await attack(context)).toEqual([]);
    await context.close();
  });

  it('every page carries a CSP that allows only the site\'s own scripts', () => {
    for (const path of ['index.html', 'advisories/SBX-2026-0001.html']) {
      const html = readFileSync(`${s.site}/${path}`, 'utf8');
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
  });
});
