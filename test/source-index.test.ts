// The source index spares reading advisory files the file system says are unchanged, and must never
// take an edited file for an unchanged one: same size, mtime set back, or a new file renamed over it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSourceIndex } from '../src/project/source-index.ts';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'advisories-index-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const MAX = 1024;

async function digests(paths: string[], racyMs = 0) {
  const index = await openSourceIndex(join(dir, 'index'), { racyMs });
  const found = paths.map((p) => index.digest(p, MAX));
  await index.save();
  return { found, trusted: index.trusted };
}

describe('the source index', () => {
  it('answers from the index for untouched files, and always the digest of the bytes', async () => {
    const paths = ['a.md', 'b.md', 'c.md'].map((n, i) => join(dir, n));
    paths.forEach((p, i) => writeFileSync(p, `file ${i}`));
    await settle();
    const first = await digests(paths);
    expect(first).toEqual({ found: paths.map(sha), trusted: 0 });
    expect(await digests(paths)).toEqual({ found: paths.map(sha), trusted: 3 });
  });

  it('sees an edit that keeps the size and sets the mtime back, and a file renamed over another', async () => {
    const [a, b] = [join(dir, 'a.md'), join(dir, 'b.md')];
    writeFileSync(a, 'severity: low');
    writeFileSync(b, 'severity: low');
    await settle();
    await digests([a, b]);
    const { mtime } = statSync(a);
    writeFileSync(a, 'severity: mid'); // same size
    utimesSync(a, mtime, mtime);
    writeFileSync(join(dir, 'new'), 'severity: top');
    utimesSync(join(dir, 'new'), statSync(b).mtime, statSync(b).mtime);
    renameSync(join(dir, 'new'), b);
    await settle();
    expect(await digests([a, b])).toEqual({ found: [sha(a), sha(b)], trusted: 0 });
    expect(await digests([a, b])).toEqual({ found: [sha(a), sha(b)], trusted: 2 });
  });

  it('never records a file changed just before the run (the racy case), nor anything but a small regular file', async () => {
    const fresh = join(dir, 'fresh.md');
    writeFileSync(fresh, 'just written');
    writeFileSync(join(dir, 'big.md'), 'x'.repeat(MAX + 1));
    await digests([fresh], 3000);
    expect(await digests([fresh], 3000)).toEqual({ found: [sha(fresh)], trusted: 0 });
    expect((await digests([join(dir, 'big.md'), dir, join(dir, 'missing.md')])).found).toEqual([undefined, undefined, undefined]);
  });

  it('ignores a damaged or foreign index', async () => {
    const a = join(dir, 'a.md');
    writeFileSync(a, 'text');
    await settle();
    await digests([a]);
    const index = join(dir, 'index');
    writeFileSync(index, readFileSync(index, 'utf8').replace(/[0-9a-f]{64}/, 'f'.repeat(63)));
    expect(await digests([a])).toEqual({ found: [sha(a)], trusted: 0 });
    writeFileSync(index, readFileSync(index, 'utf8').replace('advisories-source-index/1', 'something-else/1'));
    expect(await digests([a])).toEqual({ found: [sha(a)], trusted: 0 });
  });
});
