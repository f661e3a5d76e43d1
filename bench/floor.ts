// What a rebuild cannot avoid under the site writer's invariants, measured on a built site (bench/run.ts
// runs it on the real corpus's site after the rebuilds): `tsx bench/floor.ts SITE` prints one JSON line per
// step. Each is the least of its kind, done alone, with nothing else of a build around it:
// - link: a whole new folder with every file of the site hard-linked into it, the least the atomic swap of
//   a whole site needs (publish/write-site.ts);
// - read-hash: every file of the site read and SHA-256 hashed, the least that reusing a live file by its
//   content needs (accel/site-links.ts);
// - archive: the site's OSV records packed into a ZIP by the writer every build uses (publish/archive.ts,
//   yazl), which deflates every record again: one changed record changes the archive.
import { hash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveWriter } from '../src/publish/archive.ts';

const site = process.argv[2];
if (!site) throw new Error('usage: tsx bench/floor.ts SITE');

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : []));
}

async function step(name: string, work: () => unknown) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ step: name, seconds, cpuSeconds: (used.user + used.system) / 1e6 }));
}

const files = listFiles(site);
const folders = [...new Set(files.map((f) => f.slice(0, Math.max(0, f.lastIndexOf('/')))))].sort();
const scratch = `${site}.floor`;
rmSync(scratch, { recursive: true, force: true });
try {
  await step('link', () => {
    for (const folder of folders) mkdirSync(join(scratch, folder), { recursive: true });
    for (const file of files) linkSync(join(site, file), join(scratch, file));
  });
  rmSync(scratch, { recursive: true, force: true });
  await step('read-hash', () => {
    for (const file of files) hash('sha256', readFileSync(join(site, file)));
  });
  const records = files.filter((f) => /^osv\/[^/]+\.json$/.test(f));
  const bytes = records.map((f) => readFileSync(join(site, f)));
  mkdirSync(scratch);
  await step('archive', async () => {
    const archive = new ArchiveWriter(join(scratch, 'all.zip'), records.map((path) => ({ name: path.slice('osv/'.length), path })));
    for (const [i, path] of records.entries()) {
      archive.add(path, bytes[i]!);
      if (archive.full()) await archive.room();
    }
    await archive.finish();
  });
  console.log(JSON.stringify({ files: files.length, records: records.length }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
