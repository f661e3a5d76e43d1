// A rebuild carries over the pages and OSV records whose key (advisory, config, templates, tool code)
// is unchanged: linked from the previous site, not rendered again. The result must always be the
// site a build from scratch makes, whatever was edited, tampered with or damaged in between.
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryId, advisoryText } from '../bench/corpus.ts';
import { SITE_MARKER } from '../src/deliver/write-site.ts';
import { cli, NOW, tempProject } from './helpers/project.ts';
import { readTree } from './helpers/site.ts';

const N = 12;
const project = tempProject(Object.fromEntries(Array.from({ length: N }, (_, i) => [`advisories/${advisoryId(i)}.md`, advisoryText(i)])));
afterAll(() => project.cleanup());
const out = join(project.root, 'site');
const inode = (path: string) => statSync(join(out, path)).ino;
const page = (i: number) => `advisories/${advisoryId(i)}.html`;
const osv = (i: number) => `osv/${advisoryId(i)}.json`;

async function build(dir = out) {
  const r = await cli(['build', '--root', project.root, '--out', dir, '--state', join(project.root, 'state'), '--now', NOW]);
  expect(r.code, r.stderr).toBe(0);
  return readTree(dir);
}
/** The rebuilt site must be byte for byte what a build into an empty folder makes. */
async function expectSameAsFresh(site: Map<string, Buffer>) {
  const fresh = await build(join(project.root, 'fresh'));
  rmSync(join(project.root, 'fresh'), { recursive: true });
  expect([...site.keys()]).toEqual([...fresh.keys()]);
  for (const [path, bytes] of fresh) expect(site.get(path)!.equals(bytes), path).toBe(true);
}

describe('carrying unchanged pages over from the previous build', () => {
  it('renders only the edited advisory again; the rest are the previous files, linked', async () => {
    await build();
    const before = Array.from({ length: N }, (_, i) => [inode(page(i)), inode(osv(i))]);
    project.write(`advisories/${advisoryId(4)}.md`, advisoryText(4, 7));
    const site = await build();
    for (let i = 0; i < N; i++) {
      const same = i !== 4;
      expect(inode(page(i)) === before[i]![0], page(i)).toBe(same);
      expect(inode(osv(i)) === before[i]![1], osv(i)).toBe(same);
    }
    expect(site.get(page(4))!.toString()).toContain('rev 7');
    expect(Buffer.from(unzipSync(site.get('osv/all.zip')!)[`x_${advisoryId(4)}.json`]!).toString()).toContain('rev 7');
    await expectSameAsFresh(site);
  });

  it('carries a feed over when the edit leaves its items alone, and makes the feeds it touches again', async () => {
    const feeds = ['feed.xml', 'atom.xml', 'feed.json', 'feeds/critical.xml', 'feeds/critical.atom.xml', 'feeds/critical.json', 'feeds/high.xml', 'feeds/high.atom.xml', 'feeds/high.json'];
    const before = new Map(feeds.map((f) => [f, inode(f)]));
    // Advisory 6 is medium: in the main feed, not in the critical or high ones.
    project.write(`advisories/${advisoryId(6)}.md`, advisoryText(6, 3));
    const site = await build();
    for (const f of feeds) expect(inode(f) === before.get(f), f).toBe(f.startsWith('feeds/'));
    expect(site.get('feed.xml')!.toString()).toContain('rev 3');
    await expectSameAsFresh(site);
  });

  it('renders every page again when a template changes', async () => {
    const template = readFileSync(new URL('../templates/advisory.html.eta', import.meta.url), 'utf8');
    project.write('templates/advisory.html.eta', `${template}\n<!-- project template -->\n`);
    const site = await build();
    for (let i = 0; i < N; i++) expect(site.get(page(i))!.toString(), page(i)).toContain('<!-- project template -->');
    await expectSameAsFresh(site);
  });

  it('never carries over a file edited in the built site, a damaged manifest or a damaged archive', async () => {
    // A page edited by hand after the build (its mtime is after the marker's).
    writeFileSync(join(out, page(2)), '<p>defaced</p>');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(out, page(2)), later, later);
    // A manifest whose key for one record was tampered with, and an archive cut short.
    const marker = join(out, SITE_MARKER);
    const markerTime = statSync(marker).mtime;
    writeFileSync(marker, readFileSync(marker, 'utf8').replace(new RegExp(`(${osv(3)}\\t[^\\t]+\\t\\d+\\t)\\S+`), '$1forgedkey'));
    const zip = readFileSync(join(out, 'osv/all.zip'));
    writeFileSync(join(out, 'osv/all.zip'), zip.subarray(0, zip.length - 100));
    utimesSync(marker, markerTime, markerTime);
    const site = await build();
    expect(site.get(page(2))!.toString()).not.toContain('defaced');
    expect(Object.keys(unzipSync(site.get('osv/all.zip')!))).toHaveLength(N);
    await expectSameAsFresh(site);
  });

  it('renders the pages again when SECURITY.md changes what is supported (the models change)', async () => {
    const before = readFileSync(join(out, page(0)), 'utf8');
    project.write('SECURITY.md', project.read('SECURITY.md').replace('| 1.x.x   | :white_check_mark: |', '| 1.x.x   | :x: |'));
    const site = await build();
    expect(site.get(page(0))!.toString()).not.toBe(before);
    await expectSameAsFresh(site);
  });

  it('builds the same site when the previous one is gone', async () => {
    rmSync(out, { recursive: true });
    await expectSameAsFresh(await build());
  });
});
