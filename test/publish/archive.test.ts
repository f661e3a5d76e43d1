// osv/all.zip through yazl: past 65,535 entries (where a ZIP without ZIP64 ends), read back by an
// independent reader, Python's zipfile, which checks every CRC and size.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveWriter } from '../../src/publish/archive.ts';

const work = mkdtempSync(join(tmpdir(), 'archive-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the OSV archive', () => {
  it('holds more than 65,535 records (ZIP64), each intact and in order', async () => {
    const count = 65_600;
    const entries = Array.from({ length: count }, (_, i) => ({ name: `x_${i}.json`, path: `osv/${i}.json` }));
    const target = join(work, 'all.zip');
    // Stored, not deflated: the entry count is what needs ZIP64, and 65,600 zlib streams would take a minute.
    const writer = new ArchiveWriter(target, entries, 0);
    // The first two given out of order: the writer still packs them in the declared order.
    writer.add('osv/1.json', Buffer.from('{"id":1}\n'));
    writer.add('osv/0.json', Buffer.from('{"id":0}\n'));
    for (let i = 2; i < count; i++) {
      writer.add(`osv/${i}.json`, Buffer.from(`{"id":${i}}\n`));
      if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(writer.missing()).toBeUndefined();
    await writer.finish();
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'names = z.namelist()',
      'print(len(names), names[0], names[-1], z.read(names[12345]).decode().strip())',
    ].join('\n');
    writeFileSync(join(work, 'read.py'), script);
    const out = execFileSync('python3', [join(work, 'read.py'), target], { encoding: 'utf8' }).trim();
    expect(out).toBe(`${count} x_0.json x_${count - 1}.json {"id":12345}`);
  }, 120_000);

  it('names the first record it was not given', () => {
    const writer = new ArchiveWriter(join(work, 'partial.zip'), [
      { name: 'a.json', path: 'osv/a.json' },
      { name: 'b.json', path: 'osv/b.json' },
    ]);
    writer.add('osv/a.json', Buffer.from('{}'));
    expect(writer.missing()).toBe('osv/b.json');
    return writer.finish();
  });

  it('makes its writer wait while much is queued, and still packs every record', async () => {
    // Incompressible records of 1 MiB: past the bound the writer is told to wait, and waiting ends.
    const records = Array.from({ length: 40 }, () => randomBytes(1 << 20));
    const entries = records.map((_, i) => ({ name: `r${i}.bin`, path: `osv/r${i}.bin` }));
    const target = join(work, 'big.zip');
    const writer = new ArchiveWriter(target, entries);
    let waited = 0;
    for (const [i, bytes] of records.entries()) {
      writer.add(`osv/r${i}.bin`, bytes);
      if (writer.full()) {
        waited++;
        await writer.room();
        expect(writer.full()).toBe(false);
      }
    }
    await writer.finish();
    expect(waited).toBeGreaterThan(0);
    const script = [
      'import sys, zipfile, hashlib',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(" ".join(hashlib.sha256(z.read(n)).hexdigest()[:12] for n in z.namelist()))',
    ].join('\n');
    writeFileSync(join(work, 'hash.py'), script);
    const out = execFileSync('python3', [join(work, 'hash.py'), target], { encoding: 'utf8' }).trim();
    expect(out).toBe(records.map((r) => createHash('sha256').update(r).digest('hex').slice(0, 12)).join(' '));
  }, 60_000);

  it('never leaves its writer waiting when the archive cannot be written', async () => {
    const writer = new ArchiveWriter(join(work, 'no-such-folder', 'all.zip'), Array.from({ length: 40 }, (_, i) => ({ name: `r${i}`, path: `r${i}` })));
    for (let i = 0; i < 40; i++) {
      writer.add(`r${i}`, randomBytes(1 << 20));
      if (writer.full()) await writer.room();
    }
    await expect(writer.finish()).rejects.toThrow(/ENOENT/);
  });
});
