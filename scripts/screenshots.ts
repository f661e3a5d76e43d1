// `npm run screenshots`: the README's pictures of the repo's own site, taken in the same browser the tests use.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, serveSite } from '../test/helpers/browser.ts';
import { buildSite } from '../test/helpers/render-site.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
// A fixed clock, so the pictures show the same site on every run.
const site = await buildSite(root, '2026-11-25T12:00:00Z');
const server = await serveSite(site);
const browser = await launchBrowser();
try {
  mkdirSync(outDir, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}index.html`);
  await page.fill('#version', '1.2.0');
  await page.click('#version-form button');
  await page.waitForSelector('#version-answer li');
  await page.screenshot({ path: `${outDir}index.png`, fullPage: false });
  await page.goto(`${server.url}advisories/SBX-2026-0001.html`);
  await page.screenshot({ path: `${outDir}advisory.png`, fullPage: false });
  console.log(`wrote ${outDir}index.png and advisory.png`);
} finally {
  await browser.close();
  await server.close();
  rmSync(site, { recursive: true, force: true });
}
