// The OSV archive's ZIP writer, read back by two independent readers: fflate, and Python's zipfile
// (which also checks every CRC).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipEntries, zipArchive, zipEntry, ZipBuilder, ZipLimitError } from '../src/render/zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'advisories-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: [string, string][] = [
  ['x_SBX-2026-0001.json', JSON.stringify({ id: 'x_SBX-2026-0001', details: 'a'.repeat(5000) }, null, 2)],
  ['x_SBX-2026-0002.json', '{}\n'],
  ['ünïcode name.json', 'é ✓ \u{1F512}\n'],
  ['empty.json', ''],
];
const archive = zipArchive(files.map(([name, text]) => zipEntry(name, Buffer.from(text))));

describe('zipArchive', () => {
  it('is read back entry by entry, names and bytes intact, by fflate', () => {
    const read = unzipSync(archive);
    expect(Object.keys(read)).toEqual(files.map(([name]) => name));
    for (const [name, text] of files) expect(Buffer.from(read[name]!).toString('utf8')).toBe(text);
  });

  it('passes Python zipfile.testzip (every CRC and size checked) with a fixed 1980 time stamp', () => {
    const path = join(dir, 'all.zip');
    writeFileSync(path, archive);
    const script = 'import sys, zipfile, json\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps([z.testzip(), [(i.filename, i.date_time, i.file_size) for i in z.infolist()]]))';
    const [bad, infos] = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as [string | null, [string, number[], number][]];
    expect(bad).toBeNull();
    expect(infos.map(([name]) => name)).toEqual(files.map(([name]) => name));
    expect(infos.every(([, date]) => date.join(',') === '1980,1,1,12,0,0')).toBe(true);
    expect(infos.map(([, , size]) => size)).toEqual(files.map(([, text]) => Buffer.byteLength(text)));
  });

  it('is deterministic, and an archive rebuilt from its own deflated entries is the same bytes', () => {
    expect(Buffer.from(zipArchive(files.map(([name, text]) => zipEntry(name, Buffer.from(text)))))).toEqual(Buffer.from(archive));
    const reused = readZipEntries(archive);
    expect([...reused.keys()]).toEqual(files.map(([name]) => name));
    expect(Buffer.from(zipArchive([...reused.values()]))).toEqual(Buffer.from(archive));
  });

  it('reuses nothing from a damaged or foreign file', () => {
    expect(readZipEntries(archive.subarray(0, archive.length - 30)).size).toBe(0);
    expect(readZipEntries(Buffer.from('not a zip at all, but long enough to have an end record')).size).toBe(0);
    const broken = Buffer.from(archive);
    broken.writeUInt32LE(0x12345678, 0); // the first local header
    expect(readZipEntries(broken).size).toBe(0);
  });

  it('ZipBuilder, deflating on the thread pool and taking carried-over entries, writes the same archive', async () => {
    const builder = new ZipBuilder(2);
    const previous = readZipEntries(archive);
    files.forEach(([name, text], i) => builder.add(name, i % 2 ? previous.get(name)! : Buffer.from(text)));
    expect(Buffer.from(await builder.finish())).toEqual(Buffer.from(archive));
    expect(Buffer.from(await new ZipBuilder().finish())).toEqual(Buffer.from(zipArchive([])));
  });

  it('refuses, with a limit error (not a bug), more entries than the format without ZIP64 holds', () => {
    const one = zipEntry('x.json', Buffer.from('{}'));
    expect(() => zipArchive(Array.from({ length: 65536 }, () => one))).toThrow(ZipLimitError);
  });
});
