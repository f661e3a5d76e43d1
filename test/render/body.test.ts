// The build's shortcuts must not change a byte (and feeds stay a readable size): one parse shared by a body's renderings, no
// parse for OSV details with nothing to remove, and one
// file-system sync instead of an fsync per file (with the per-file fallback where `sync` is missing).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { join } from 'node:path';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryText } from '../../bench/corpus.ts';
import { writeSite } from '../../src/publish/write-site.ts';
import { bodyHtml, osvDetails } from '../../src/render/markdown.ts';
import Parser from 'rss-parser';
import { FEED_ITEMS } from '../../src/render/feeds.ts';
import { advisory, cli, NOW, tempProject } from '../helpers/project.ts';
import { readTree } from '../helpers/site.ts';

const text5 = advisoryText(5);
const body = text5.slice(text5.indexOf('\n---\n', 3) + 5); // after the frontmatter
const tmp = mkdtempSync(join(tmpdir(), 'perf-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('OSV details without a parse', () => {
  // Autolinks of every kind GFM knows, links, HTML and look-alikes, in prose, lists, quotes and code.
  const PIECES = [
    'www.example.com', 'https://x.org/a?b', 'http://a.b', 'a@b.org', 'mailto:a@b.org', 'xmpp:a@b.org', 'XMPP:a@b.org', 'ftp://x.org',
    'javascript:alert(1)', 'data:text/html,x', '](javascript:x)', '(x)', '!', '*em*', '`c`', '&amp;', '&lt;b&gt;', '\\', 'foo', ' ', '\n',
    '\n\n', '> ', '- ', '1. ', '```\n', '    ', ':', '/', '@', 'www', '.', '|', '---',
  ];
  const visit = (node: { type: string; url?: string; children?: unknown[] }, out: string[]) => {
    if (node.type === 'html') out.push('html');
    if (node.url !== undefined && !/^(https?:|mailto:)/.test(node.url)) out.push(node.url);
    for (const child of node.children ?? []) visit(child as typeof node, out);
    return out;
  };

  it('a text with no `<`, `[` or `xmpp:` holds nothing the cleaner removes, and is its own OSV details', () => {
    const md = unified().use(remarkParse).use(remarkGfm);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        if (/[<[]|xmpp:/i.test(text)) return;
        expect(visit(md.parse(text), []), JSON.stringify(text)).toEqual([]);
        expect(osvDetails(text)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('one parse for every rendering of a body', () => {
  it('gives the same page HTML and OSV Markdown whichever is rendered first', () => {
    const pairs = [true, false].map((htmlFirst) => {
      const text = `<!-- ${htmlFirst} -->\n\n${body}`; // a text the parse cache has not seen; both drop the comment
      if (htmlFirst) return [bodyHtml(text), osvDetails(text)];
      const safe = osvDetails(text);
      return [bodyHtml(text), safe];
    });
    expect(pairs[0]).toEqual(pairs[1]);
    const [html, safe] = pairs[0]!;
    expect(html).toContain('<table>');
    expect(html).not.toContain('<!--');
    // Both are what fresh, separate pipelines give for the body alone.
    const md = unified().use(remarkParse).use(remarkGfm);
    expect(html).toBe(String(md().use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).processSync(body)));
    expect(safe).toBe(String(md().use(remarkStringify, { bullet: '-', fences: true }).processSync(body)));
  });
});

describe('writing the site', () => {
  it('writes every file in full when `sync` cannot be run (per-file fsync fallback)', async () => {
    const files = new Map(Array.from({ length: 40 }, (_, i) => [`dir${i % 3}/f${i}.txt`, `file ${i}\n`.repeat(i + 1)] as const));
    const path = process.env.PATH;
    process.env.PATH = join(tmp, 'no-bin');
    try {
      expect(await writeSite(join(tmp, 'site'), files)).toBe(40);
    } finally {
      process.env.PATH = path;
    }
    const tree = readTree(join(tmp, 'site'));
    for (const [name, text] of files) expect(tree.get(name)?.toString(), name).toBe(text);
    expect(readFileSync(join(tmp, 'site', '.advisories-site'), 'utf8')).toContain('advisories build');
  });
});

describe('feeds of a large database', () => {
  it(`carry the ${FEED_ITEMS} most recently changed advisories, while index.json and OSV carry all`, async () => {
    const id = (i: number) => `SBX-2026-${String(i + 1).padStart(4, '0')}`;
    const published = (i: number) => new Date(Date.UTC(2026, 3, 1, i)).toISOString().replace('.000', '');
    const files = Object.fromEntries(
      Array.from({ length: FEED_ITEMS + 2 }, (_, i) => [
        `advisories/${id(i)}.md`,
        // The oldest is withdrawn after all the others were published: a change readers must see.
        advisory(id(i), { published: published(i), ...(i === 0 ? { withdrawn: '{at: "2026-06-01T00:00:00Z", reason: "Not a bug"}' } : {}) }),
      ]),
    );
    const project = tempProject(files);
    try {
      const out = join(project.root, 'site');
      const r = await cli(['build', '--root', project.root, '--out', out, '--now', NOW]);
      expect(r.code, r.stderr).toBe(0);
      const feed = await new Parser().parseString(readFileSync(join(out, 'feed.xml'), 'utf8'));
      const expected = [0, ...Array.from({ length: FEED_ITEMS + 2 }, (_, i) => i).slice(3)].map(id); // not 1 and 2
      expect(feed.items.map((i) => i.guid).sort()).toEqual([...expected].sort());
      const json = JSON.parse(readFileSync(join(out, 'feed.json'), 'utf8')) as { items: { id: string }[] };
      expect(json.items.map((i) => i.id).sort()).toEqual([...expected].sort());
      const high = JSON.parse(readFileSync(join(out, 'feeds/high.json'), 'utf8')) as { items: { id: string }[] };
      expect(high.items).toHaveLength(FEED_ITEMS);
      const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { advisories: unknown[] };
      expect(index.advisories).toHaveLength(FEED_ITEMS + 2);
      expect(readTree(join(out, 'osv')).size).toBe(FEED_ITEMS + 2 + 1); // records and all.zip
    } finally {
      project.cleanup();
    }
  });
});
