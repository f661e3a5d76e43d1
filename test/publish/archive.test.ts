// osv/all.zip through yazl: past 65,535 entries (where a ZIP without ZIP64 ends), read back by an
// independent reader, Python's zipfile, which checks every CRC and size.
import { execFileSync } from 'node:child_process';
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
});
