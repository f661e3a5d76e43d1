// HTML pages from templates/ (escaping by default); bodies through the sanitising Markdown renderer.
// Pure: the stylesheet and the pre-bundled client script arrive as template files, like the pages.
import { renderBody } from '../body.ts';
import { pagePath } from '../index-json.ts';
import { outputKey } from '../keys.ts';
import { REUSE, type SiteContent, type SiteFiles, type SiteInput } from '../site-input.ts';
import { templateEngine } from '../templates.ts';
import { FEEDS } from './links.ts';
import { advisoryView } from './view.ts';

/** Template file → site path of the assets every page links. */
export const ASSETS = { 'style.css': 'assets/style.css', 'app.js': 'assets/app.js' } as const;

/**
 * Every page and asset, one at a time: a large site is written as it is rendered. An advisory page
 * whose key matches the previous build's is not rendered again (REUSE).
 */
export function* pageEntries(input: SiteInput): Generator<[string, SiteContent, string?]> {
  const { config, policy, templates } = input;
  const render = templateEngine(templates);
  const site = { product: config.product, siteUrl: config.siteUrl, feeds: FEEDS, upgradeCommand: config.upgradeCommand };
  const supported = policy.lines.filter((l) => l.supported).map((l) => l.spec);
  const advisories = input.advisories.map((a) => advisoryView(a, config));
  yield ['index.html', render('index.html.eta', { site, root: '', canonical: config.siteUrl, advisories, supported })];
  for (const [i, a] of input.advisories.entries()) {
    const path = pagePath(a.id);
    const key = outputKey(a, input);
    if (key && input.previous?.has(path, key)) {
      yield [path, REUSE, key];
      continue;
    }
    const data = { site, root: '../', canonical: new URL(path, config.siteUrl).href, advisory: advisories[i], bodyHtml: renderBody(a.body) };
    const html = render('advisory.html.eta', data);
    // Pages come last (site.ts): the feeds are done with this body, and memory stays flat at 40,000.
    renderBody.forget(a.body);
    yield [path, html, key];
  }
  for (const [name, path] of Object.entries(ASSETS)) {
    const source = templates[name];
    if (source !== undefined) yield [path, source];
  }
}

export const renderPages = (input: SiteInput): SiteFiles => new Map([...pageEntries(input)].map(([path, content]) => [path, content]));
