// The site's files and archive written on threads of their own: the same folder, byte for byte, as the
// reference's writes on the main thread, and a failure on either thread named with its errno, the new
// folder removed and the live site left as it was, never a writer left waiting.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { threadDisk } from '../../src/accel/disk-thread.ts';
import { putFile, writeSite, type PutFile } from '../../src/publish/write-site.ts';
import type { SiteContent } from '../../src/render/site-input.ts';
import { readTree } from '../helpers/site.ts';

const work = mkdtempSync(join(tmpdir(), 'disk-thread-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** 3,000 records (several batches each way, past the high mark of bytes in flight), an archive of them, pages. */
function site(): [string, SiteContent][] {
  const records = Array.from({ length: 3000 }, (_, i) => [`osv/R-${i}.json`, JSON.stringify({ id: `R-${i}`, details: 'x'.repeat(i % 97) + '\u00e9'.repeat(i % 5) })] as [string, string]);
  return [
    // Two records written before the archive is declared: read back from the new folder.
    records[0]!,
    records[1]!,
    ['osv/all.zip', { archive: records.map(([path]) => ({ name: path.slice(4), path })) }],
    ...records.slice(2),
    ...Array.from({ length: 2000 }, (_, i) => [`pages/${i}.html`, { from: [i], make: () => `<p>${i}</p>`.repeat(1 + (i % 300)) }] as [string, SiteContent]),
    ['big.bin', new Uint8Array(40 * 1024 * 1024).fill(7)],
  ];
}

describe('the site written on threads of its own', () => {
  it('gives the same folder, archive included, as the reference writes', async () => {
    const reference = join(work, 'reference');
    const threaded = join(work, 'threaded');
    expect(await writeSite(reference, site())).toBe(5002);
    expect(await writeSite(threaded, site(), putFile, threadDisk())).toBe(5002);
    const a = readTree(reference);
    const b = readTree(threaded);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
  });

  it('names a failure on the files thread with its errno, removes the new folder and keeps the live site', async () => {
    const out = join(work, 'live');
    await writeSite(out, new Map([['index.html', 'the last good site']]));
    // A put that writes two of the files under one name: the thread's second `wx` create fails.
    const clash: PutFile = (full, content, path, keep, disk) => putFile(path === 'pages/1500.html' ? full.replace('1500', '1499') : full, content, path, keep, disk);
    const failure = await writeSite(out, site(), clash, threadDisk()).catch((error: NodeJS.ErrnoException) => error);
    expect(failure).toMatchObject({ code: 'EEXIST', syscall: 'open' });
    expect((failure as NodeJS.ErrnoException).path).toMatch(/pages\/1499\.html$/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('the last good site');
    expect(readdirSync(work).filter((name) => name.startsWith('.live.'))).toEqual([]);
  });

  it('names a failure of the archive thread, and leaves nobody waiting', async () => {
    const out = join(work, 'archive-fails');
    // The archive's own name is taken by a folder before it is written: its `wx` create fails on the archive's thread.
    const entries: [string, SiteContent][] = [
      ['osv/all.zip/x', 'a folder where the archive goes'],
      ['osv/all.zip', { archive: [{ name: 'x', path: 'osv/all.zip/x' }] }],
    ];
    const failure = await writeSite(out, entries, putFile, threadDisk()).catch((error: NodeJS.ErrnoException) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as NodeJS.ErrnoException).code).toMatch(/^E[A-Z]+$/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((name) => name.startsWith('.archive-fails.'))).toEqual([]);
  });
});
