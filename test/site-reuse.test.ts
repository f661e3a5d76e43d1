// A rebuild hard-links the previous site's unchanged files instead of rewriting them, and never
// reuses a file that changed or that someone edited in the built site since.
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSite } from '../src/deliver/write-site.ts';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('rebuilding a site', () => {
  it('links unchanged files, writes changed ones, and rewrites a file edited by hand', async () => {
    dir = mkdtempSync(join(tmpdir(), 'advisories-reuse-'));
    const out = join(dir, 'site');
    const site = (b: string) => new Map<string, string>([['a.html', 'same'], ['b.html', b], ['c/d.json', '{"x":1}']]);
    await writeSite(out, site('one'));
    const inode = (p: string) => statSync(join(out, p)).ino;
    const before = { a: inode('a.html'), b: inode('b.html'), d: inode('c/d.json') };

    // Someone edits the built copy of c/d.json; its mtime is after the build's marker.
    writeFileSync(join(out, 'c/d.json'), '{"x":2}');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(out, 'c/d.json'), later, later);

    await writeSite(out, site('two'));
    expect(inode('a.html')).toBe(before.a);
    expect(inode('b.html')).not.toBe(before.b);
    expect(readFileSync(join(out, 'b.html'), 'utf8')).toBe('two');
    expect(inode('c/d.json')).not.toBe(before.d);
    expect(readFileSync(join(out, 'c/d.json'), 'utf8')).toBe('{"x":1}');
  });
});
