// npm run bench [-- --sizes 1000,10000] [--large] [--eleventy] [--subscribers 100000] [--no-notify] [--write]
// Generates corpora, runs the compiled CLI as a child per scenario and prints wall time and peak RSS.
import { cpus, freemem, loadavg, totalmem, availableParallelism, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { advisoryId, advisoryText, writeCorpus } from './corpus.ts';
import { prepareEleventy } from './eleventy.ts';
import { RSS_SOURCE, run, type Run } from './measure.ts';
import { preparePackage } from './package.ts';
import { benchNotify, NOTIFY_AVAILABLE } from './notify.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    large: { type: 'boolean', default: false },
    eleventy: { type: 'boolean', default: false },
    subscribers: { type: 'string', default: '100000' },
    'no-notify': { type: 'boolean', default: false },
    'from-source': { type: 'boolean', default: false },
    // Cold runs below 40,000 are repeated and the median reported: this machine's speed drifts.
    repeat: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number).concat(values.large ? [40000] : []);
const repeats = (n: number) => (n >= 40000 ? 1 : Math.max(1, Number(values.repeat)));
/** The median run by time, with the peak RSS of all of them and the spread for the note. */
function median(runs: Run[]): Run & { spread: string } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  const spread = runs.length > 1 ? `median of ${runs.length}, ${fmt(sorted[0]!.seconds)}-${fmt(sorted.at(-1)!.seconds)} s` : '';
  return { ...mid, rssMb: Math.max(...runs.map((r) => r.rssMb)), spread };
}
const NOW = '2026-12-01T00:00:00Z';
const REPO = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'advisories-bench-'));
const load0 = loadavg()[0]!;

interface Row {
  scenario: string;
  n: string;
  seconds: number;
  rssMb: number;
  note: string;
  target?: string;
  pass?: boolean;
}
const rows: Row[] = [];
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
function record(row: Row) {
  rows.push(row);
  const verdict = row.pass === undefined ? '' : row.pass ? ' ✔' : ' ✘';
  console.log(`${row.scenario.padEnd(26)} ${row.n.padStart(7)} ${fmt(row.seconds).padStart(8)} s ${fmt(row.rssMb, 0).padStart(6)} MB  ${row.target ?? ''}${verdict} ${row.note}`);
}
function ok(r: Run, what: string, expected = 0): Run {
  if (r.code !== expected) throw new Error(`${what} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  return r;
}

const cli = values['from-source'] ? join(REPO, 'bin/advisories.js') : await preparePackage(join(work, 'package'));
const help = run(process.execPath, [cli, '--help']).stdout;
const hasBuild = help.includes('  build ');
console.log(`bench in ${work}; CLI ${cli}${hasBuild ? '' : ' (no build command yet: build rows skipped)'}\n`);

for (const n of sizes) {
  const root = join(work, `corpus-${n}`);
  writeCorpus(root, n);
  const advisory = (i: number) => join(root, 'advisories', `${advisoryId(i)}.md`);
  const check = () => ok(run(process.execPath, [cli, 'check', '--root', root, '--now', NOW]), `check ${n}`);

  const cold = median(
    Array.from({ length: repeats(n) }, () => {
      rmSync(join(root, '.advisories-state'), { recursive: true, force: true });
      return check();
    }),
  );
  record({ scenario: 'check cold', n: String(n), ...cold, note: cold.spread, ...(n === 10000 ? { target: '≤ 4 s', pass: cold.seconds <= 4 } : {}) });
  writeFileSync(advisory(Math.floor(n / 2)), advisoryText(Math.floor(n / 2), 1));
  record({ scenario: 'check after 1 change', n: String(n), ...check(), note: '(check cache warm)' });

  if (hasBuild) {
    // Each cold run, ours and Eleventy's, writes into new folders, and none is removed until this size is
    // measured: removing the last run's tens of thousands of files first made the next run's file creation
    // wait on the file system (ext4 with online discard here), and cold times swung by 2x for both tools.
    // Before each cold run, `sync` writes out what the last one left in memory. The rebuilds go on in the
    // last cold run's folders.
    const coldDirs = (i: number) => ({ state: join(root, `.state-${i}`), out: join(root, `site-${i}`) });
    let { state, out } = coldDirs(0);
    const build = () => ok(run(process.execPath, [cli, 'build', '--root', root, '--out', out, '--state', state, '--now', NOW]), `build ${n}`);
    // Cold builds and Eleventy's alternate, so a drift in the machine's speed touches both alike.
    const eleventyDir = join(work, `eleventy-${n}`);
    const eleventy = values.eleventy ? prepareEleventy(eleventyDir, root) : undefined;
    if (eleventy) symlinkSync(realpathSync(join(REPO, 'node_modules')), join(eleventyDir, 'node_modules'));
    const colds: Run[] = [];
    const peers: Run[] = [];
    for (let i = 0; i < repeats(n); i++) {
      ({ state, out } = coldDirs(i));
      execFileSync('sync');
      colds.push(build());
      if (!eleventy) continue;
      execFileSync('sync');
      peers.push(ok(run(process.execPath, eleventy.args(join(eleventyDir, `_site-${i}`)), { cwd: eleventyDir }), `eleventy ${n}`));
    }
    const buildCold = median(colds);
    record({ scenario: 'build cold', n: String(n), ...buildCold, note: buildCold.spread, ...(n === 40000 ? { target: 'RSS < 1536 MB', pass: buildCold.rssMb < 1536 } : {}) });
    writeFileSync(advisory(Math.floor(n / 3)), advisoryText(Math.floor(n / 3), 2));
    // The first rebuild has warm caches but no spare site yet (docs/site.md): it builds a new folder.
    record({ scenario: 'build, first rebuild', n: String(n), ...build(), note: '(caches warm, no spare site yet)' });
    // The steady state, like the cold runs the median of several: each run edits another advisory.
    const warm = median(
      Array.from({ length: repeats(n) }, (_, i) => {
        const edited = Math.floor(n / 4) + i;
        writeFileSync(advisory(edited), advisoryText(edited, 2));
        return build();
      }),
    );
    record({ scenario: 'build after 1 change', n: String(n), ...warm, note: `(caches and spare site warm)${warm.spread ? `, ${warm.spread}` : ''}`, ...(n === 10000 ? { target: '≤ 1.5 s', pass: warm.seconds <= 1.5 } : {}) });

    if (eleventy) {
      const e = median(peers);
      record({ scenario: 'Eleventy 3 cold', n: String(n), ...e, note: `(pages + RSS)${e.spread ? `, ${e.spread}` : ''}` });
      const ratio = buildCold.seconds / e.seconds;
      record({ scenario: 'build / Eleventy (cold)', n: String(n), seconds: ratio, rssMb: NaN, note: '(ratio of the medians)', ...(n >= 10000 ? { target: '≤ 0.75', pass: ratio <= 0.75 } : {}) });
    }
  }
  if (n >= 40000) rmSync(root, { recursive: true, force: true });
}

if (!values['no-notify'] && NOTIFY_AVAILABLE(help)) {
  const subscribers = Number(values.subscribers);
  const r = await benchNotify({ cli, work, subscribers, now: NOW });
  record({ scenario: 'notify 1 advisory', n: String(subscribers), seconds: r.seconds, rssMb: r.rssMb, note: `${fmt(r.perSecond, 0)} msg/s over the whole run (${fmt(r.sinkPerSecond, 0)}/s at the sink, first to last message), ledger ${r.ledgerExact ? 'exact' : 'WRONG'}` });
  if (!r.ledgerExact) console.log(r.detail);
  record({ scenario: 'notify throughput', n: String(subscribers), seconds: r.perSecond, rssMb: r.rssMb, note: 'msg/s (seconds column)', target: '≥ 1000/s, < 300 MB', pass: r.perSecond >= 1000 && r.rssMb < 300 && r.ledgerExact });
} else if (!values['no-notify']) console.log('notify: no notify command yet, skipped');

const load1 = loadavg()[0]!;
rmSync(work, { recursive: true, force: true });
if (values.write) writeFileSync(join(REPO, 'BENCHMARKS.md'), report());

function report(): string {
  const argv = process.argv.slice(2).join(' ');
  const table = rows
    .map((r) => `| ${r.scenario} | ${r.n} | ${fmt(r.seconds)} | ${fmt(r.rssMb, 0)} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'yes' : 'no'} | ${r.note} |`)
    .join('\n');
  return `# Benchmarks

Measured with \`npm run bench${argv ? ` -- ${argv}` : ''}\` (bench/run.ts). Each row runs the compiled CLI
(\`node bin/advisories.js\`, as \`npm pack\` ships it) as a child process on generated ~2 KB advisories
(every frontmatter field, four sections, a list, a fenced code block, a GFM table). Wall time is the child's
whole run, start-up included; peak RSS comes from ${RSS_SOURCE}. "after 1 change" reruns after editing one
advisory: "first rebuild" right after the cold build (caches warm, but no spare site to update yet, so a new
folder is built), "build after 1 change" the rebuilds after that (each after editing another advisory), the steady
state of a maintainer's rebuilds. Below 40,000, each cold check, cold build and steady rebuild runs ${values.repeat} times (Eleventy's alternating with
ours) and the median is shown, its peak RSS the highest of the runs: this virtual machine's speed drifts by
up to 2× within an hour. Each cold build, ours and Eleventy's, writes into new folders after a \`sync\`; none is
removed before the bench ends, since creating files right after removing tens of thousands made either tool's
cold build up to twice as slow on this file system. Targets come from issue 6; they are measured here and never
asserted as timings in tests.

| scenario | N | seconds | peak RSS (MB) | target | met | note |
| --- | ---: | ---: | ---: | --- | --- | --- |
${table}

## Machine

- ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores available, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM (${(freemem() / 2 ** 30).toFixed(0)} GB free at the end)
- Node ${process.version}, ${process.platform}
- Load average (1 min) ${load0.toFixed(2)} at the start and ${load1.toFixed(2)} at the end: other processes shared the machine
  when this ran, so times are upper bounds.
`;
}
