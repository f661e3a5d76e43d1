import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisory, tempProject, type TempProject } from '../helpers/project.ts';
import { buildSite } from '../helpers/render-site.ts';
import { build, readJson } from '../helpers/site.ts';

const SITE = 'https://advisories.example.org/sec/';
const CRITICAL_CVSS = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

let project: TempProject;
let out: string;
// Item fields beyond rss-parser's typings (content:encoded, Atom id, updated, categories).
const parser = new Parser<Record<string, unknown>, Record<string, any>>({
  customFields: { item: ['updated', 'published', 'id', ['category', 'atomCategories', { keepArray: true }]] },
});
const read = (path: string) => readFileSync(join(out, path), 'utf8');
const page = (id: string) => `${SITE}advisories/${id}.html`;

beforeAll(async () => {
  project = tempProject(
    {
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'critical', cvss: CRITICAL_CVSS, published: '2026-03-02T10:00:00Z' }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', {
        severity: 'high',
        published: '2026-04-01T09:00:00Z',
        modified: '2026-05-01T12:30:00Z',
      }),
      'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', {
        severity: 'medium',
        published: '2026-05-10T08:00:00Z',
        withdrawn: '{at: "2026-05-20T08:00:00Z", reason: "Not reproducible on any release"}',
      }),
      'advisories/SBX-2026-0004.md': advisory('SBX-2026-0004', { severity: 'low', published: '2026-05-15T08:00:00Z' }),
      // Embargoed at NOW: in no feed.
      'advisories/SBX-2026-0005.md': advisory('SBX-2026-0005', { severity: 'critical', published: '2026-12-30T08:00:00Z' }),
    },
    // Private: the embargoed one is in clear text.
    { config: { package: 'scalebox-sdk', idPrefix: 'SBX', siteUrl: SITE, product: 'Scalebox & Co', visibility: 'private' } },
  );
  out = await buildSite(project.root);
});
afterAll(() => {
  project.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('RSS 2.0 (feed.xml)', () => {
  it('lists every published advisory newest first, with a stable guid, the page link and the dates', async () => {
    const feed = await parser.parseString(read('feed.xml'));
    expect(feed.title).toBe('Scalebox & Co security advisories');
    expect(feed.feedUrl).toBe(`${SITE}feed.xml`);
    expect(feed.items.map((i) => i.guid)).toEqual(['SBX-2026-0004', 'SBX-2026-0003', 'SBX-2026-0002', 'SBX-2026-0001']);
    expect(feed.items.map((i) => i.link)).toEqual(feed.items.map((i) => page(i.guid!)));
    expect(feed.items.map((i) => i.isoDate)).toEqual(['2026-05-15T08:00:00.000Z', '2026-05-10T08:00:00.000Z', '2026-04-01T09:00:00.000Z', '2026-03-02T10:00:00.000Z']);
    expect(feed.items[3]!.title).toBe('[CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001');
    expect(feed.items.map((i) => i.categories)).toEqual([['low'], ['medium'], ['high'], ['critical']]);
    // The channel date is the newest change of an advisory (the withdrawal of 0003), not the build time.
    expect(feed.lastBuildDate).toBe('Wed, 20 May 2026 08:00:00 GMT');
  });

  it('carries the summary and the rendered body, and marks a withdrawn advisory in title and content', async () => {
    const feed = await parser.parseString(read('feed.xml'));
    const [, withdrawn, high] = feed.items;
    expect(high!.contentSnippet ?? high!.content).toBeDefined();
    expect(high!['content:encoded']).toContain('<p>Something bad can happen.</p>');
    expect(high!['content:encoded']).toContain('<h2>Impact</h2>');
    expect(withdrawn!.title).toBe('[WITHDRAWN] [MEDIUM] SBX-2026-0003: Problem in SBX-2026-0003');
    expect(withdrawn!['content:encoded']).toMatch(/WITHDRAWN<\/strong> on 2026-05-20: Not reproducible on any release/);
  });
});

describe('Atom 1.0 (atom.xml)', () => {
  it('has the same entries, with updated from `modified` and the feed updated from the newest one', async () => {
    const feed = await parser.parseString(read('atom.xml'));
    expect(feed.feedUrl).toBe(`${SITE}atom.xml`);
    expect(feed.lastBuildDate).toBe('2026-05-20T08:00:00.000Z');
    expect(feed.items.map((i) => i.id)).toEqual(['0004', '0003', '0002', '0001'].map((n) => page(`SBX-2026-${n}`)));
    expect(feed.items.map((i) => i.link)).toEqual(feed.items.map((i) => i.id));
    const high = feed.items[2]!;
    expect(high.updated).toBe('2026-05-01T12:30:00.000Z');
    expect(high.published).toBe('2026-04-01T09:00:00.000Z');
    expect(feed.items[1]!.updated).toBe('2026-05-20T08:00:00.000Z');
    expect(feed.items[1]!.title).toMatch(/^\[WITHDRAWN\] /);
    expect(feed.items[1]!.content).toContain('Not reproducible on any release');
    expect(feed.items.map((i) => i.atomCategories[0].$.term)).toEqual(['low', 'medium', 'high', 'critical']);
  });
});

describe('JSON Feed 1.1 (feed.json)', () => {
  it('is version 1.1 with plain-text titles and summaries, HTML content, ids and dates', () => {
    const feed = readJson(out, 'feed.json');
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('Scalebox & Co security advisories');
    expect(feed.feed_url).toBe(`${SITE}feed.json`);
    expect(feed.home_page_url).toBe(SITE);
    expect(feed.items.map((i: any) => i.id)).toEqual(['SBX-2026-0004', 'SBX-2026-0003', 'SBX-2026-0002', 'SBX-2026-0001']);
    for (const item of feed.items) {
      expect(item.url).toBe(page(item.id));
      expect(typeof item.content_html).toBe('string');
      expect(item.summary).toMatch(/Something bad can happen\.$/);
      expect(new Date(item.date_modified).getTime()).toBeGreaterThanOrEqual(new Date(item.date_published).getTime());
    }
    const high = feed.items[2];
    expect(high).toMatchObject({ title: '[HIGH] SBX-2026-0002: Problem in SBX-2026-0002', tags: ['high'] });
    expect(high.date_published).toBe('2026-04-01T09:00:00.000Z');
    expect(high.date_modified).toBe('2026-05-01T12:30:00.000Z');
    expect(feed.items[1].title).toMatch(/^\[WITHDRAWN\] /);
    expect(feed.items[1].summary).toMatch(/^Withdrawn: Not reproducible on any release/);
  });
});

describe('severity feeds', () => {
  it('feeds/critical.* carry only critical advisories and feeds/high.* high and critical, in every format', async () => {
    for (const [name, ids] of [
      ['critical', ['SBX-2026-0001']],
      ['high', ['SBX-2026-0002', 'SBX-2026-0001']],
    ] as const) {
      const rss = await parser.parseString(read(`feeds/${name}.xml`));
      const atom = await parser.parseString(read(`feeds/${name}.atom.xml`));
      const json = readJson(out, `feeds/${name}.json`);
      expect(rss.items.map((i) => i.guid)).toEqual(ids);
      expect(atom.items.map((i) => i.id)).toEqual(ids.map(page));
      expect(json.items.map((i: any) => i.id)).toEqual(ids);
      expect(rss.feedUrl).toBe(`${SITE}feeds/${name}.xml`);
      expect(atom.feedUrl).toBe(`${SITE}feeds/${name}.atom.xml`);
      expect(json.feed_url).toBe(`${SITE}feeds/${name}.json`);
    }
  });

  it('an empty feed still has a fixed date, never the build time', async () => {
    const empty = tempProject({}, { config: { package: 'scalebox-sdk', siteUrl: SITE } });
    const dir = join(out, '..', 'empty');
    try {
      const r = await build(empty.root, dir);
      expect(r.code, r.stderr).toBe(0);
      const rss = await parser.parseString(readFileSync(join(dir, 'feed.xml'), 'utf8'));
      const atom = await parser.parseString(readFileSync(join(dir, 'atom.xml'), 'utf8'));
      expect(rss.items).toEqual([]);
      expect(rss.lastBuildDate).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
      expect(atom.lastBuildDate).toBe('1970-01-01T00:00:00.000Z');
      expect(readJson(dir, 'feed.json').items).toEqual([]);
    } finally {
      empty.cleanup();
    }
  });
});
