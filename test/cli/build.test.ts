import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSite } from '../../src/publish/write-site.ts';
import { advisory, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { activeContent, allContents, build, readJson, readTree } from '../helpers/site.ts';

const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
let project: TempProject;
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'advisories-site-'));
});
afterEach(() => {
  project?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const twoAdvisories = () =>
  tempProject({
    'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'high' }),
    'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { severity: 'low', published: '2026-05-01T00:00:00Z' }),
  });

describe('index.json', () => {
  it('validates against the index.schema.json published beside it and lists the published advisories', async () => {
    project = twoAdvisories();
    const out = join(work, 'site');
    expect((await build(project.root, out)).code).toBe(0);
    const ajv = new Ajv2020.default({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(readJson(out, 'index.schema.json'));
    const index = readJson(out, 'index.json');
    expect(validate(index), JSON.stringify(validate.errors)).toBe(true);
    expect(index.advisories.map((a: { id: string }) => a.id)).toEqual(['SBX-2026-0002', 'SBX-2026-0001']);
    expect(index.advisories[1]).toMatchObject({
      url: 'http://localhost:8080/advisories/SBX-2026-0001.html',
      osv: 'http://localhost:8080/osv/SBX-2026-0001.json',
      osvId: 'x_SBX-2026-0001',
      lines: [{ line: '1.x.x', supported: true, affected: true, fixedIn: '1.2.0' }, { line: '< 1.0', supported: false, affected: false, fixedIn: null }],
    });
    // A wrong index must fail the published schema, or the check above proves nothing.
    expect(validate({ ...index, advisories: [{ ...index.advisories[0], severity: 'urgent' }] })).toBe(false);
  });
});

describe('embargo', () => {
  it("an embargoed advisory's id and text appear in no byte of any file, zip entries included", async () => {
    project = tempProject({
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'),
      'advisories/SBX-2026-0042.md': advisory('SBX-2026-0042', { title: 'Zanzibar quokka overflow', published: '2026-12-01T00:00:00Z' }),
      // Clear text while embargoed: a private repository (sealed ones: test/cli/sealed.test.ts).
    }, { config: { package: 'scalebox-sdk', idPrefix: 'SBX', visibility: 'private' } });
    const out = join(work, 'site');
    const r = await build(project.root, out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 advisory published, 1 embargoed/);
    expect(r.stdout + r.stderr).not.toContain('SBX-2026-0042');
    const contents = allContents(out);
    expect(contents.some(([p]) => p.includes('!x_SBX-2026-0001.json'))).toBe(true);
    for (const [path, bytes] of contents) {
      expect(bytes.includes('SBX-2026-0042'), path).toBe(false);
      expect(bytes.includes('0042'), path).toBe(false);
      expect(bytes.includes('quokka'), path).toBe(false);
    }
    // Once its time comes, it is published like any other.
    const later = await build(project.root, out, '2026-12-01T00:00:00Z');
    expect(later.code).toBe(0);
    expect(existsSync(join(out, 'osv/SBX-2026-0042.json'))).toBe(true);
  });
});

describe('safety', () => {
  it('script, event-handler and javascript: payloads in title, summary and body survive in no page, feed content or OSV details', async () => {
    const title = '"<script>alert(1)</script><img src=x onerror=alert(2)>';
    const summary = "'<svg onload=alert(3)></svg><a href=\"javascript:alert(4)\">x</a>";
    const body =
      '## Impact\n\n<script>alert(5)</script>\n\n<img src="x" onerror="alert(6)">\n\n[click](javascript:alert(7))\n\n' +
      '<a href="javascript:alert(8)">y</a> <div onmouseover="alert(9)">z</div>\n\n<iframe src="https://evil.example"></iframe>\n\n## Patches\n\nUpgrade.\n';
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: JSON.stringify(title), summary: JSON.stringify(summary) }, body) });
    const out = join(work, 'site');
    const r = await build(project.root, out);
    expect(r.code, r.stderr).toBe(0);

    const files = readTree(out);
    for (const [path, bytes] of files) {
      if (path.endsWith('.html')) expect(activeContent(bytes.toString('utf8')), path).toEqual([]);
    }
    const parser = new Parser<Record<string, unknown>, Record<string, any>>();
    for (const path of ['feed.xml', 'atom.xml', 'feeds/high.xml', 'feeds/high.atom.xml']) {
      const feed = await parser.parseString(files.get(path)!.toString('utf8'));
      const [item] = feed.items;
      // Readers render these as HTML: titles and summaries arrive escaped, content sanitised.
      for (const html of [item!.title, item!.summary ?? item!.content, item!['content:encoded'] ?? item!.content]) {
        expect(activeContent(String(html)), `${path}: ${html}`).toEqual([]);
      }
      expect(item!.title).not.toContain('<');
      expect(item!.title).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    for (const path of ['feed.json', 'feeds/high.json']) {
      const [item] = readJson(out, path).items;
      expect(activeContent(item.content_html)).toEqual([]);
      // JSON Feed titles and summaries are plain text by the spec: the words arrive as written.
      expect(item.title).toBe(`[HIGH] SBX-2026-0001: ${title}`);
    }
    const osv = readJson(out, 'osv/SBX-2026-0001.json');
    expect(osv.details).not.toMatch(/<(script|img|svg|a|div|iframe)\b|javascript:/i);
  });
});

describe('determinism', () => {
  it('two builds of the same input are byte-identical, in any time zone', async () => {
    project = tempProject({
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'critical' }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { withdrawn: '{at: "2026-04-01T00:00:00Z", reason: "Duplicate"}' }),
    });
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      expect((await build(project.root, join(work, 'a'))).code).toBe(0);
      process.env.TZ = 'America/Los_Angeles';
      expect((await build(project.root, join(work, 'b'), NOW)).code).toBe(0);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    const a = readTree(join(work, 'a'));
    const b = readTree(join(work, 'b'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [path, bytes] of a) expect(bytes.equals(b.get(path)!), path).toBe(true);
  });
});

describe('atomicity', () => {
  const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp-') || n.includes('.old-'));

  it('a build that fails its checks leaves the previous site exactly as it was', async () => {
    project = twoAdvisories();
    const out = join(work, 'site');
    expect((await build(project.root, out)).code).toBe(0);
    const before = readTree(out);
    project.write('advisories/SBX-2026-0003.md', advisory('SBX-2026-0003', { severity: 'urgent' }));
    const r = await build(project.root, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/advisories\/SBX-2026-0003\.md:\d+:\d+\s+error/);
    expect(r.stderr).toContain('Not building');
    expect(readTree(out)).toEqual(before);
    expect(leftovers(work)).toEqual([]);
  });

  it('a write that fails half-way leaves the previous site exactly as it was, and no temporary folder', async () => {
    const out = join(work, 'site');
    await writeSite(out, new Map([['index.html', 'old']]));
    const before = readTree(out);
    // "x" as a file, then "x/y" inside it: the second write fails after the first succeeded.
    await expect(writeSite(out, new Map([['index.html', 'new'], ['x', 'file'], ['x/y', 'nested']]))).rejects.toThrow();
    expect(readTree(out)).toEqual(before);
    expect(leftovers(work)).toEqual([]);
  });

  it('content that fails off the main thread (the archive) while pages are still being written fails the write cleanly', async () => {
    const out = join(work, 'site');
    await writeSite(out, new Map([['index.html', 'old']]));
    const before = readTree(out);
    // An archive that asks for a file the site does not have fails after hundreds of pages are written.
    function* files(): Generator<[string, string | { archive: { name: string; path: string }[] }]> {
      for (let i = 0; i < 300; i++) yield [`p/${i}.html`, `page ${i}`];
      yield ['osv/all.zip', { archive: [{ name: 'x.json', path: 'osv/missing.json' }] }];
    }
    await expect(writeSite(out, files())).rejects.toThrow('which the site does not have');
    expect(readTree(out)).toEqual(before);
    expect(leftovers(work)).toEqual([]);
  });

  it('an unwritable --out is a clear error, not a stack trace, and changes nothing', async () => {
    project = twoAdvisories();
    writeFileSync(join(work, 'a-file'), 'x');
    const r = await build(project.root, join(work, 'a-file', 'site'));
    // An operator fault, like the others: 2, not the 1 that means the advisories have problems.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not write the site \(E[A-Z]+: /);
    // The errno once, not "EEXIST: EEXIST: …" (Node's message already starts with it).
    expect(r.stderr).not.toMatch(/\b(E[A-Z]+): \1:/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('x');
  });

  it('refuses to replace a folder it did not build, or the project itself', async () => {
    project = twoAdvisories();
    const mine = join(work, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.tex'), 'precious');
    const r = await build(project.root, mine);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty and was not written by `advisories build`/);
    expect(readdirSync(mine)).toEqual(['thesis.tex']);
    const self = await build(project.root, project.root);
    expect(self.code).toBe(2);
    expect(existsSync(join(project.root, 'SECURITY.md'))).toBe(true);
  });
});

describe("the repo's own site", () => {
  it('builds into dist-like folder with every stable URL, and the embargoed advisory nowhere', async () => {
    const out = join(work, 'dist');
    const r = await build(repoRoot, out);
    expect(r.code, r.stderr).toBe(0);
    const ids = readdirSync(join(repoRoot, 'advisories')).map((n) => n.replace(/\.md$/, ''));
    const published = ids.filter((id) => id !== 'SBX-2026-0007'); // embargoed until 2026-12-14 (check-repo.test.ts)
    const expected = [
      'index.html', 'index.json', 'index.schema.json', 'feed.xml', 'atom.xml', 'feed.json', 'osv/all.zip',
      ...['critical', 'high'].flatMap((s) => [`feeds/${s}.xml`, `feeds/${s}.atom.xml`, `feeds/${s}.json`]),
      ...published.flatMap((id) => [`advisories/${id}.html`, `osv/${id}.json`]),
    ];
    for (const path of expected) expect(existsSync(join(out, path)), path).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`${published.length} advisories published \\(1 withdrawn\\), 1 embargoed`));
    for (const [path, bytes] of allContents(out)) expect(bytes.includes('SBX-2026-0007'), path).toBe(false);
  });
});
