// The site before the live one is kept beside it (the spare) and the next build brings it up to date
// in place. Whatever happened to either folder in between, the new site must be exactly the one a
// build into an empty folder makes, and the live site must never change until the swap.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryId, advisoryText } from '../bench/corpus.ts';
import { spareOf } from '../src/deliver/previous-site.ts';
import { SITE_MARKER, writeSite } from '../src/deliver/write-site.ts';
import { cli, NOW, tempProject } from './helpers/project.ts';
import { readTree } from './helpers/site.ts';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'advisories-spare-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const leftovers = () => readdirSync(dir).filter((n) => n.includes('.tmp-') || n.includes('.old-'));
const later = (path: string) => {
  const t = new Date(Date.now() + 5000);
  utimesSync(path, t, t);
};
/** Files only, as readTree sees them, minus the marker (its text lists the same files). */
const files = (tree: Map<string, Buffer>) => new Map([...tree].filter(([p]) => p !== SITE_MARKER).map(([p, b]) => [p, b.toString()]));
const site = (generation: number, extra: [string, string][] = []) =>
  new Map<string, string>([
    ['index.html', `index ${generation}`],
    ['same.html', 'never changes'],
    [`a/${generation % 3}.html`, `rotating ${generation}`],
    ['a/b/deep.json', generation % 2 ? '{"odd":true}' : '{"odd":false}'],
    ...extra,
  ]);

describe('the spare site', () => {
  it('is the site before the live one, and each build leaves exactly its own files', async () => {
    const out = join(dir, 'site');
    for (let g = 1; g <= 6; g++) {
      await writeSite(out, site(g));
      expect(files(readTree(out)), `generation ${g}`).toEqual(site(g));
      if (g > 1) expect(files(readTree(spareOf(out))), `spare after ${g}`).toEqual(site(g - 1));
      expect(leftovers()).toEqual([]);
    }
    // Unchanged files are shared between the two folders, not copied.
    expect(statSync(join(out, 'same.html')).ino).toBe(statSync(join(spareOf(out), 'same.html')).ino);
  });

  it('drops files added by hand, brings back deleted ones, and rewrites edited ones', async () => {
    const out = join(dir, 'site');
    await writeSite(out, site(1));
    await writeSite(out, site(2));
    // Tamper with the live site (the next spare) and with the spare itself.
    writeFileSync(join(out, 'added.html'), 'not ours');
    mkdirSync(join(out, 'added-dir/inner'), { recursive: true });
    writeFileSync(join(out, 'added-dir/inner/x'), 'x');
    rmSync(join(out, 'same.html'));
    writeFileSync(join(spareOf(out), 'same.html'), 'defaced!!!!!!');
    later(join(spareOf(out), 'same.html'));
    writeFileSync(join(spareOf(out), 'a/b/deep.json'), '{"odd":"no!"}'); // same size as before
    later(join(spareOf(out), 'a/b/deep.json'));
    for (let g = 3; g <= 5; g++) {
      await writeSite(out, site(g));
      expect(files(readTree(out)), `generation ${g}`).toEqual(site(g));
    }
  });

  it('puts a file where the spare has a folder, and a folder where it has a file', async () => {
    const out = join(dir, 'site');
    await writeSite(out, new Map([['x', 'file'], ['y/z', 'nested']]));
    await writeSite(out, new Map([['other', '1']]));
    const swapped = new Map([['x/inside', 'now a folder'], ['y', 'now a file']]);
    await writeSite(out, swapped);
    expect(files(readTree(out))).toEqual(swapped);
  });

  it('never takes a folder it did not build', async () => {
    const out = join(dir, 'site');
    mkdirSync(spareOf(out));
    writeFileSync(join(spareOf(out), 'notes.txt'), 'mine');
    for (let g = 1; g <= 3; g++) await writeSite(out, site(g));
    expect(files(readTree(out))).toEqual(site(3));
    expect(readdirSync(spareOf(out))).toEqual(['notes.txt']);
    expect(leftovers()).toEqual([]);
  });

  it('a write that fails half-way in the spare leaves the live site as it was; the next build is whole', async () => {
    const out = join(dir, 'site');
    await writeSite(out, site(1));
    await writeSite(out, site(2));
    const before = readTree(out);
    await expect(writeSite(out, new Map([['index.html', 'new'], ['x', 'file'], ['x/y', 'nested']]))).rejects.toThrow();
    expect(readTree(out)).toEqual(before);
    expect(leftovers()).toEqual([]);
    await writeSite(out, site(3));
    expect(files(readTree(out))).toEqual(site(3));
  });
});

describe('rebuilding a project through the spare', () => {
  const N = 8;
  const project = tempProject(Object.fromEntries(Array.from({ length: N }, (_, i) => [`advisories/${advisoryId(i)}.md`, advisoryText(i)])));
  afterAll(() => project.cleanup());
  const build = async (out: string) => {
    const r = await cli(['build', '--root', project.root, '--out', out, '--state', join(project.root, 'state'), '--now', NOW]);
    expect(r.code, r.stderr).toBe(0);
    return readTree(out);
  };

  it('edits over several builds, one reverted, give the site a fresh build makes', async () => {
    const out = join(project.root, 'site');
    const edits: [number, number][] = [[1, 1], [2, 1], [1, 2], [1, 0], [5, 3]];
    await build(out);
    for (const [i, variant] of edits) {
      project.write(`advisories/${advisoryId(i)}.md`, advisoryText(i, variant));
      const site = await build(out);
      const fresh = await build(join(project.root, 'fresh'));
      rmSync(join(project.root, 'fresh'), { recursive: true });
      rmSync(spareOf(join(project.root, 'fresh')), { recursive: true, force: true });
      expect([...site.keys()]).toEqual([...fresh.keys()]);
      for (const [path, bytes] of fresh) expect(site.get(path)!.equals(bytes), `${path} after editing ${i} to ${variant}`).toBe(true);
    }
    expect(readFileSync(join(out, `advisories/${advisoryId(1)}.html`), 'utf8')).not.toContain(' rev ');
    expect(existsSync(spareOf(out))).toBe(true);
  });
});
