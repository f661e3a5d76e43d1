// HTML pages from templates/ (escaping by default); bodies through the sanitising Markdown renderer.
// Pure: the stylesheet and the pre-bundled client script arrive as template files, like the pages.
import { schemeFor, upgradeTemplate } from '../../core/ecosystems/index.ts';
import { markdownRenderer } from '../markdown.ts';
import { pagePath } from '../index-json.ts';
import { made, type Made, type SiteContent, type SiteInput } from '../site-input.ts';
import { templateEngine } from '../templates.ts';
import { FEEDS, projectLinks } from './links.ts';
import { advisoryView, type AdvisoryView } from './view.ts';
import { indexParts, type IndexParts } from '../index-parts.ts';

/** Template file → site path of the assets every page links. */
export const ASSETS = { 'style.css': 'assets/style.css', 'app.js': 'assets/app.js' } as const;

/** With `service.url` configured, every page carries the subscribe form that posts there (and its CSP allows it). */
const subscribeView = ({ config }: SiteInput) =>
  config.service
    ? {
        action: new URL('subscribe', config.service.url.endsWith('/') ? config.service.url : `${config.service.url}/`).href,
        origin: new URL(config.service.url).origin,
        // The versions field's example in the project's own notation (a PyPI reader writes `>=1.2,<2`).
        rangeExample: schemeFor(config.ecosystem).rangeExample,
      }
    : null;

const siteView = (input: SiteInput) => {
  const { config } = input;
  return {
    product: config.product,
    siteUrl: config.siteUrl,
    feeds: FEEDS,
    ecosystem: config.ecosystem,
    upgradeCommand: upgradeTemplate(config.upgradeCommand, config.ecosystem),
    /** The version box's example, as the project's users write versions. */
    versionExample: schemeFor(config.ecosystem).versionExample,
    subscribe: subscribeView(input),
    links: projectLinks(config),
  };
};

/**
 * index.html: the advisories' list items, in the input's order, on one page. The template gets them
 * rendered (`items`) and their `count`; `advisories` (every advisory's view, as a page gets it) is made
 * only if the template reads it, for a project's own index template written that way.
 */
export function renderIndexHtml(input: SiteInput, parts: IndexParts = indexParts(input)): string {
  const { config, policy } = input;
  const supported = policy.lines.filter((l) => l.supported).map((l) => l.spec);
  const data = {
    site: siteView(input),
    root: '',
    canonical: config.siteUrl,
    count: input.advisories.length,
    items: input.advisories.map((a) => parts.get(a)!.item),
    supported,
  };
  // Not enumerable: Eta copies the data into the layout's, which would make every view.
  let views: AdvisoryView[] | undefined;
  Object.defineProperty(data, 'advisories', { get: () => (views ??= input.advisories.map((a) => advisoryView(a, config))) });
  return templateEngine(input.templates)('index.html.eta', data);
}

/** Every page and asset, one at a time: a large site is written as it is rendered. */
export function* pageEntries(input: SiteInput, parts?: IndexParts): Generator<[string, SiteContent]> {
  const { config, templates, markdown = markdownRenderer } = input;
  const render = templateEngine(templates);
  const site = siteView(input);
  yield ['index.html', renderIndexHtml(input, parts)];
  // Everything a page is made from: `site` comes from the config alone, the body's HTML from the body.
  const shared = { config, templates };
  for (const a of input.advisories) {
    const path = pagePath(a.id);
    const page = () => render('advisory.html.eta', { site, root: '../', canonical: new URL(path, config.siteUrl).href, advisory: advisoryView(a, config), bodyHtml: markdown.html(a.body) });
    yield [path, { from: ['page', shared, a], make: page }];
  }
  for (const [name, path] of Object.entries(ASSETS)) {
    const source = templates[name];
    if (source !== undefined) yield [path, source];
  }
}

export const renderPages = (input: SiteInput): Map<string, Exclude<SiteContent, Made>> => new Map([...pageEntries(input)].map(([path, content]) => [path, made(content)]));
