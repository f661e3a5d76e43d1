// Linking the live site's unchanged files into the new one: only a regular file whose bytes are
// exactly the new ones is linked; anything else in the live site is never carried into the next.
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkUnchanged } from '../../src/accel/site-links.ts';
import { writeSite } from '../../src/publish/write-site.ts';
import { readTree } from '../helpers/site.ts';

const work = mkdtempSync(join(tmpdir(), 'site-links-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('linking unchanged files from the live site', () => {
  it('links identical files, writes changed ones, and never carries a planted link or an edited file', async () => {
    const out = join(work, 'site');
    const first = new Map([
      ['index.html', 'index v1'],
      ['a/one.html', 'one'],
      ['a/two.html', 'two'],
      ['a/three.html', 'three'],
    ]);
    await writeSite(out, first);
    // By hand in the live site: an edit that keeps the size, and a link to a file outside it.
    writeFileSync(join(out, 'a/two.html'), 'TWO');
    writeFileSync(join(work, 'secret'), 'three');
    rmSync(join(out, 'a/three.html'));
    symlinkSync(join(work, 'secret'), join(out, 'a/three.html'));
    const oneInode = statSync(join(out, 'a/one.html')).ino;

    const stats = { linked: 0, written: 0, known: 0, made: 0 };
    const second = new Map([...first, ['index.html', 'index v2']]);
    await writeSite(out, second, linkUnchanged(out, stats));

    const tree = readTree(out);
    for (const [path, text] of second) expect(tree.get(path)?.toString(), path).toBe(text);
    expect(statSync(join(out, 'a/one.html')).ino).toBe(oneInode); // linked
    expect(lstatSync(join(out, 'a/three.html')).isSymbolicLink()).toBe(false); // the planted link stays behind
    expect(stats).toEqual({ linked: 1, written: 3, known: 0, made: 0 });
  });

  it('gives the same bytes when the live site has none of the files', async () => {
    const out = join(work, 'fresh');
    mkdirSync(out);
    const stats = { linked: 0, written: 0, known: 0, made: 0 };
    await writeSite(out, new Map([['x.html', 'x']]), linkUnchanged(out, stats));
    expect(readFileSync(join(out, 'x.html'), 'utf8')).toBe('x');
    expect(stats).toEqual({ linked: 0, written: 1, known: 0, made: 0 });
  });
});
