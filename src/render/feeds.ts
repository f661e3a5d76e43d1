// RSS 2.0, Atom 1.0 and JSON Feed 1.1 through the `feed` package: all advisories, and severity
// feeds, each with its FEED_ITEMS most recently changed advisories (index.json and OSV carry all). Deterministic: the feed's date is the newest `modified` (never the clock), no generator.
import { Feed, type Item } from 'feed';
import type { Config } from '../core/config.ts';
import type { Advisory } from '../core/advisory.ts';
import { severityRank, type Severity } from '../core/schema.ts';
import { escapeHtml, xmlSafe } from './escape.ts';
import { pageUrl } from './index-json.ts';
import { markdownRenderer } from './markdown.ts';
import type { MarkdownRenderer, SiteContent, SiteInput } from './site-input.ts';

/** Feed name (path without extension) → which advisories it carries. */
export const FEEDS: { path: string; label: string | null; keep: (s: Severity) => boolean }[] = [
  { path: '', label: null, keep: () => true },
  { path: 'feeds/critical', label: 'critical', keep: (s) => s === 'critical' },
  { path: 'feeds/high', label: 'high and critical', keep: (s) => severityRank(s) <= severityRank('high') },
];

/**
 * Items per feed. A reader polls for what changed; a feed with every advisory of a large database in
 * full would be tens of megabytes fetched again on every poll (and rendered on every build).
 */
export const FEED_ITEMS = 100;

/** The `limit` most recently modified (a withdrawal or an edit brings an old one back), in their given order. */
function newest(items: Advisory[], limit: number): Advisory[] {
  if (items.length <= limit) return items;
  const keep = new Set(
    items
      .map((a, i) => [a.modified, i] as const)
      .sort(([m1, i1], [m2, i2]) => (m1 > m2 ? -1 : m1 < m2 ? 1 : i1 - i2))
      .slice(0, limit)
      .map(([, i]) => i),
  );
  return items.filter((_, i) => keep.has(i));
}

const selections = new WeakMap<readonly Advisory[], Map<(typeof FEEDS)[number], Advisory[]>>();
/** What one feed carries: its severities, the FEED_ITEMS most recently changed (chosen once per list). */
function itemsOf(feed: (typeof FEEDS)[number], advisories: readonly Advisory[]): Advisory[] {
  let byFeed = selections.get(advisories);
  if (!byFeed) selections.set(advisories, (byFeed = new Map()));
  let items = byFeed.get(feed);
  if (!items) byFeed.set(feed, (items = newest(advisories.filter((a) => feed.keep(a.severity)), FEED_ITEMS)));
  return items;
}

/** RSS and Atom extensions per feed; the main feed keeps its historical names. */
const fileNames = (path: string) =>
  path === '' ? { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } : { rss: `${path}.xml`, atom: `${path}.atom.xml`, json: `${path}.json` };

/** When nothing is published yet: a fixed date, so an empty feed is deterministic too. */
const EPOCH = new Date(0);

export function itemTitle(a: Advisory): string {
  return `${a.withdrawn ? '[WITHDRAWN] ' : ''}[${a.severity.toUpperCase()}] ${a.id}: ${a.title}`;
}

function summaryText(a: Advisory): string {
  return a.withdrawn ? `Withdrawn: ${a.withdrawn.reason} — ${a.summary}` : a.summary;
}

function contentHtml(a: Advisory, config: Config, markdown: MarkdownRenderer): string {
  const cvss = a.cvssScore ? `, CVSS ${a.cvssScore.version} score ${a.cvssScore.score.toFixed(1)}` : '';
  const facts = [
    `<li>Severity: ${escapeHtml(a.severity)}${cvss}</li>`,
    `<li>Affected: ${a.affected.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ')}</li>`,
    `<li>Patched: ${a.patched.length ? a.patched.map((v) => `<code>${escapeHtml(v)}</code>`).join(', ') : 'no fix released'}</li>`,
  ];
  const withdrawn = a.withdrawn
    ? `<p><strong>WITHDRAWN</strong> on ${escapeHtml(a.withdrawn.at.slice(0, 10))}: ${escapeHtml(a.withdrawn.reason)}</p>\n`
    : '';
  return (
    `${withdrawn}<p>${escapeHtml(a.summary)}</p>\n<ul>\n${facts.join('\n')}\n</ul>\n${markdown.html(a.body)}\n` +
    `<p><a href="${escapeHtml(pageUrl(config, a.id))}">Read the advisory on the site</a></p>`
  );
}

interface Prepared {
  a: Advisory;
  title: string;
  summary: string;
  content: string;
}

function feedFor(items: Prepared[], config: Config, names: ReturnType<typeof fileNames>, label: string | null): Feed {
  const url = (name: string) => new URL(name, config.siteUrl).href;
  const newest = items.reduce<string | null>((m, { a }) => (m === null || a.modified > m ? a.modified : m), null);
  const title = xmlSafe(`${config.product} security advisories${label ? ` (${label})` : ''}`);
  const feed = new Feed({
    id: config.siteUrl,
    title,
    description: title,
    link: config.siteUrl,
    language: 'en',
    updated: newest ? new Date(newest) : EPOCH,
    generator: false,
    feedLinks: { rss: url(names.rss), atom: url(names.atom), json: url(names.json) },
  });
  for (const { a, title: t, summary, content } of items) {
    const item: Item = {
      // Atom needs an IRI: the page URL, which never moves. RSS guid and JSON Feed id are the bare id.
      id: pageUrl(config, a.id),
      guid: a.id,
      // Atom/RSS titles and summaries are HTML: escaped here, so a title never becomes markup.
      title: escapeHtml(xmlSafe(t)),
      link: pageUrl(config, a.id),
      date: new Date(a.modified),
      published: new Date(a.published),
      description: escapeHtml(xmlSafe(summary)),
      content: xmlSafe(content),
      category: [{ name: a.severity, term: a.severity }],
    };
    feed.addItem(item);
  }
  return feed;
}

/** JSON Feed 1.1: `feed` writes 1.0 with HTML-escaped text; titles and summaries there are plain text. */
function jsonFeed(feed: Feed, items: Prepared[]): string {
  const doc = JSON.parse(feed.json1()) as { version: string; items: Record<string, unknown>[] };
  doc.version = 'https://jsonfeed.org/version/1.1';
  doc.items.forEach((item, i) => {
    const p = items[i]!;
    Object.assign(item, { id: p.a.id, title: p.title, summary: p.summary, content_html: p.content });
  });
  return JSON.stringify({ ...doc, language: 'en' }, null, 2) + '\n';
}

/** Every advisory some feed carries. */
export const feedItems = (advisories: readonly Advisory[]): Advisory[] => [...new Set(FEEDS.flatMap((feed) => itemsOf(feed, advisories)))];

type FeedInput = Pick<SiteInput, 'config' | 'markdown'>;

/** `advisories` must be the published ones, newest first. */
export function* feedEntries(advisories: readonly Advisory[], input: FeedInput): Generator<[string, SiteContent]> {
  const { config, markdown = markdownRenderer } = input;
  // An advisory in several feeds is rendered once.
  const prepared = new Map<Advisory, Prepared>();
  const prepare = (a: Advisory) => {
    let p = prepared.get(a);
    if (!p) prepared.set(a, (p = { a, title: itemTitle(a), summary: summaryText(a), content: contentHtml(a, config, markdown) }));
    return p;
  };
  for (const spec of FEEDS) {
    const chosen = itemsOf(spec, advisories);
    const names = fileNames(spec.path);
    const items = chosen.map(prepare);
    const feed = feedFor(items, config, names, spec.label);
    yield [names.rss, feed.rss2() + '\n'];
    yield [names.atom, feed.atom1() + '\n'];
    yield [names.json, jsonFeed(feed, items)];
  }
}
