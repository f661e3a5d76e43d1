// npm run bench [-- --count 10000] [--large] [--quick] [--corpus real,generated] [--accel on,off] [--no-peers]
//   [--distinct-bodies] [--eleventy] [--subscribers 100000] [--no-notify] [--from-source | --cli PATH] [--repeat 3] [--child-timeout 900]
//   [--budget-minutes 240] [--no-check] [--no-csaf-cost] [--no-floor] [--write]
// npm run bench -- --service [--service-seconds 30] [--service-clients 200]: only the list service scenario (bench/service.ts)
// Writes the corpora (the real RustSec one, the headline, and the generated one), runs the compiled CLI as a
// child per scenario, with acceleration on and off (ADVISORIES_ACCEL=0), beside Eleventy 3 and Hugo (when
// installed) on the real corpus, and prints wall time, peak RSS, the CLI's `accel:` lines and the targets.
import { availableParallelism, cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { advisoryId, advisoryText, writeCorpus } from './corpus.ts';
import { ELEVENTY_CMD, prepareEleventy } from './eleventy.ts';
import { findHugo, prepareHugo } from './hugo.ts';
import { RSS_SOURCE, run, setChildTimeout, type Run } from './measure.ts';
import { benchNotify, NOTIFY_AVAILABLE } from './notify.ts';
import { preparePackage } from './package.ts';
import { editedRealText, realCount, realSources, writeRealCorpus } from './real-corpus.ts';

const { values } = parseArgs({
  options: {
    // The time scenarios' size: ~10,000 (the real corpus takes the nearest whole number of copies, 9,472).
    count: { type: 'string' },
    // --large adds the memory scenario at ~40,000 (34 copies of the real corpus, 40,256): one cold build each.
    large: { type: 'boolean', default: false },
    // A run of a few minutes to see that everything works: --count 2400 (two real copies), --repeat 1, 2,000 subscribers.
    quick: { type: 'boolean', default: false },
    corpus: { type: 'string', default: 'real,generated' },
    accel: { type: 'string', default: 'on,off' },
    'no-peers': { type: 'boolean', default: false },
    // Each copy of a real advisory after the first gets one sentence more, so no two bodies are the same: by
    // default the copies' bodies are the originals' bytes, and a renderer memoised by input renders each once.
    'distinct-bodies': { type: 'boolean', default: false },
    // Eleventy (and Hugo) on the generated corpus too, as earlier versions of BENCHMARKS.md had it.
    eleventy: { type: 'boolean', default: false },
    subscribers: { type: 'string' },
    'no-notify': { type: 'boolean', default: false },
    'from-source': { type: 'boolean', default: false },
    // Another CLI entry point to measure (e.g. a packed build of another branch) instead of packing this repo.
    cli: { type: 'string' },
    // Cold runs and steady rebuilds below 40,000 are repeated and the median reported: this machine's speed drifts.
    repeat: { type: 'string' },
    'child-timeout': { type: 'string', default: '900' },
    'budget-minutes': { type: 'string', default: '240' },
    // Only the build scenarios (e.g. to measure one change to the build alone).
    'no-check': { type: 'boolean', default: false },
    // Skips the cold build and the rebuild with `csaf.enabled: false` that say what the CSAF outputs cost.
    'no-csaf-cost': { type: 'boolean', default: false },
    // Skips the rebuild's floor: what the site writer's invariants cost alone on the real site (bench/floor.ts).
    'no-floor': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    // The list service scenario alone: N clients subscribing, confirming and unsubscribing against PostgreSQL.
    service: { type: 'boolean', default: false },
    'service-seconds': { type: 'string', default: '30' },
    'service-clients': { type: 'string', default: '200' },
    // Writes a V8 CPU profile of the service process into this folder (node --cpu-prof).
    'service-profile': { type: 'string' },
  },
});

if (values.service) {
  const { benchService } = await import('./service.ts');
  const admin = process.env.BENCH_DATABASE_URL ?? `postgres://${encodeURIComponent(process.env.PGUSER || 'postgres')}@127.0.0.1:5432/test`;
  process.exit(await benchService({ seconds: Number(values['service-seconds']), clients: Number(values['service-clients']), admin, ...(values['service-profile'] ? { profile: values['service-profile'] } : {}) }));
}

type Kind = 'real' | 'generated';
type Mode = 'on' | 'off';
function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return n;
}
function list<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !allowed.includes(s as T));
  if (bad.length || items.length === 0) throw new Error(`--${name} takes ${allowed.join(',')} (one or more), got "${value}"`);
  return allowed.filter((a) => items.includes(a));
}
const LARGE = 40000;
const count = positive('count', values.count ?? (values.quick ? '2400' : '10000'));
if (count >= LARGE) throw new Error(`--count must stay below ${LARGE}; use --large for the memory scenario`);
const repeat = positive('repeat', values.repeat ?? (values.quick ? '1' : '3'));
const subscribers = positive('subscribers', values.subscribers ?? (values.quick ? '2000' : '100000'));
const kinds = list<Kind>('corpus', values.corpus, ['real', 'generated']);
const modes = list<Mode>('accel', values.accel, ['on', 'off']);
const childTimeout = positive('child-timeout', values['child-timeout']);
setChildTimeout(childTimeout);
const budgetMs = positive('budget-minutes', values['budget-minutes']) * 60_000;
const sizes = [count, ...(values.large ? [LARGE] : [])];
const repeats = (target: number) => (target >= LARGE ? 1 : repeat);

const NOW = '2026-12-01T00:00:00Z';
const REPO = new URL('..', import.meta.url).pathname;
const started = Date.now();
const startedAt = new Date();
const load0 = loadavg()[0]!;
const work = mkdtempSync(join(tmpdir(), 'advisories-bench-'));
const cleanUp = () => rmSync(work, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

interface Row {
  /** A ratio of two medians (in `seconds`), not a run. */
  ratio?: boolean;
  kind: Kind;
  accel: Mode | '';
  scenario: string;
  n: number;
  seconds: number;
  rssMb: number;
  /** User plus system CPU seconds of the median run (wall time suffers most when the machine is shared). */
  cpuSeconds?: number;
  note: string;
  lines: string[];
}
const rows: Row[] = [];
const notify: string[] = [];
let load1 = NaN;
interface Target {
  target: string;
  value: Partial<Record<Mode, string>>;
  pass: Partial<Record<Mode, boolean>>;
}
let targets: { n: number; indicative: boolean; rows: Target[] } = { n: 0, indicative: false, rows: [] };
const notes: string[] = [];
const failures: string[] = [];
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const thousands = (n: number) => n.toLocaleString('en-US');
function note(text: string) {
  notes.push(text);
  console.log(`note: ${text}`);
}
function record(row: Omit<Row, 'lines'> & { lines?: string[] }): Row {
  const full = { ...row, lines: row.lines ?? [] };
  rows.push(full);
  console.log(
    `${row.kind.padEnd(9)} ${(row.accel ? `accel ${row.accel}` : '').padEnd(9)} ${row.scenario.padEnd(24)} ${String(row.n).padStart(6)} ${row.ratio ? `×${fmt(row.seconds)}`.padStart(9) + ' '.repeat(22) : `${fmt(row.seconds).padStart(7)} s ${fmt(row.rssMb, 0).padStart(5)} MB ${fmt(row.cpuSeconds ?? NaN, 1).padStart(6)} s cpu`}  ${row.note}`,
  );
  for (const line of full.lines) console.log(`${' '.repeat(20)}↳ ${line}`);
  return full;
}
/** The median run by time, with the peak RSS of all of them and the spread for the note. */
function median(runs: Run[]): Run & { spread: string } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  const spread = runs.length > 1 ? `median of ${runs.length}, ${fmt(sorted[0]!.seconds)}-${fmt(sorted.at(-1)!.seconds)} s` : '';
  return { ...mid, rssMb: Math.max(...runs.map((r) => r.rssMb)), spread };
}
const joinNotes = (...parts: string[]) => parts.filter(Boolean).join(', ');
function ok(r: Run, what: string): Run {
  if (r.code === 124 || r.code === 137) throw new Error(`${what} timed out after ${childTimeout} s (--child-timeout)`);
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  return r;
}
const overBudget = () => Date.now() - started > budgetMs;
function inBudget(what: string): boolean {
  if (!overBudget()) return true;
  note(`${what}: skipped, the run is past --budget-minutes ${values['budget-minutes']}`);
  return false;
}
/** The `accel:` lines a run printed (the CLI prints them with --verbose). */
const accelLines = (r: Run) =>
  `${r.stdout}\n${r.stderr}`
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.startsWith('accel:'));

try {
  await main();
} catch (error) {
  failures.push((error as Error).stack ?? String(error));
  console.error(error);
} finally {
  cleanUp();
}
if (failures.length) {
  console.error(`\n${failures.length} failure(s); BENCHMARKS.md not written.`);
  process.exitCode = 1;
} else if (values.write) {
  writeFileSync(join(REPO, 'BENCHMARKS.md'), report());
  console.log('\nBENCHMARKS.md written.');
}

// ---------------------------------------------------------------------------------------------------------

interface Corpus {
  kind: Kind;
  root: string;
  n: number;
  /** Edits the advisory at `index` (a real edit: `rev` changes the text); restore() undoes every edit. */
  edit(index: number, rev: number): void;
  restore(): void;
}
function makeCorpus(kind: Kind, root: string, target: number): Corpus {
  const files = kind === 'real' ? writeRealCorpus(root, target, { distinctBodies: values['distinct-bodies'] }) : generated(root, target);
  const originals = new Map<string, string>();
  return {
    kind,
    root,
    n: files.length,
    edit(index, rev) {
      const i = index % files.length;
      const file = join(root, 'advisories', files[i]!);
      const original = originals.get(file) ?? readFileSync(file, 'utf8');
      originals.set(file, original);
      writeFileSync(file, kind === 'real' ? editedRealText(original, rev) : advisoryText(i, rev));
    },
    restore() {
      for (const [file, text] of originals) writeFileSync(file, text);
      originals.clear();
    },
  };
}
function generated(root: string, n: number): string[] {
  writeCorpus(root, n);
  return Array.from({ length: n }, (_, i) => `${advisoryId(i)}.md`);
}

/**
 * One unmeasured check and build (and peer build) of 50 real advisories first: the CLI's first run of a command
 * writes its V8 code cache (bin/advisories.js), and every tool's first run reads its code from disk. Without
 * this, whichever scenario ran first paid for both.
 */
function warmUp(cli: string, hasBuild: boolean, hugoPath: string | undefined) {
  const dir = join(work, 'warm-up');
  const root = join(dir, 'project');
  writeRealCorpus(root, 50);
  ok(run(process.execPath, [cli, 'check', '--root', root, '--state', join(dir, 'state'), '--now', NOW]), 'warm-up check');
  if (hasBuild) ok(run(process.execPath, [cli, 'build', '--root', root, '--out', join(dir, 'site'), '--state', join(dir, 'state'), '--now', NOW]), 'warm-up build');
  if (hasBuild && !values['no-peers']) {
    const eleventyDir = join(dir, 'eleventy');
    const eleventy = prepareEleventy(eleventyDir, root);
    symlinkSync(realpathSync(join(REPO, 'node_modules')), join(eleventyDir, 'node_modules'));
    ok(run(process.execPath, eleventy.args(join(eleventyDir, '_site')), { cwd: eleventyDir }), 'warm-up Eleventy');
    if (hugoPath) ok(run(hugoPath, prepareHugo(join(dir, 'hugo'), root).args(join(dir, 'hugo-site'), join(dir, 'hugo-cache'))), 'warm-up Hugo');
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Whether `command` takes --verbose: a CLI without it rejects the unknown option, even with --help. */
function takesVerbose(cli: string, command: string): boolean {
  return run(process.execPath, [cli, command, '--verbose', '--help']).code === 0;
}

async function main() {
  const cli = values.cli ? realpathSync(values.cli) : values['from-source'] ? join(REPO, 'bin/advisories.js') : await preparePackage(join(work, 'package'));
  const help = run(process.execPath, [cli, '--help']).stdout;
  const hasBuild = help.includes('  build ');
  const verbose = { check: takesVerbose(cli, 'check'), build: hasBuild && takesVerbose(cli, 'build') };
  const hugo = values['no-peers'] ? undefined : findHugo();
  console.log(`bench in ${work}; CLI ${cli}${hasBuild ? '' : ' (no build command yet: build rows skipped)'}`);
  console.log(
    `real corpus: ${thousands(realSources().length)} RustSec advisories, ${thousands(realCount(count))} at --count ${count}${values.large ? `, ${thousands(realCount(LARGE))} at ${thousands(LARGE)}` : ''}; ${
      values['distinct-bodies'] ? 'every body distinct (--distinct-bodies)' : `the copies' bodies are the originals' (${thousands(realSources().length)} distinct bodies at most)`
    }`,
  );
  if (!verbose.check || !verbose.build) {
    note(`this CLI takes no --verbose for ${[!verbose.check && 'check', !verbose.build && hasBuild && 'build'].filter(Boolean).join(' and ')}: no accel: lines, and nothing shows whether it honours ADVISORIES_ACCEL=0 (one that ignores it runs the same path both times)`);
  }
  if (!values['no-peers'] && !hugo) note('Hugo: not found (command -v hugo), skipped');
  warmUp(cli, hasBuild, hugo?.path);
  console.log('');

  const envFor = (mode: Mode): NodeJS.ProcessEnv => ({ ADVISORIES_ACCEL: mode === 'off' ? '0' : undefined });
  const cliRun = (what: string, command: 'check' | 'build', args: string[], mode: Mode) =>
    ok(run(process.execPath, [cli, command, ...args, '--now', NOW, ...(verbose[command] ? ['--verbose'] : [])], { env: envFor(mode) }), what);
  // Peers run in one pass only, alternating with that pass's cold builds so a drift in speed touches both alike.
  const peerMode: Mode = modes.includes('on') ? 'on' : modes[0]!;

  for (const target of sizes) {
    const large = target >= LARGE;
    for (const kind of kinds) {
      if (!inBudget(`${kind} corpus at ${target}`)) continue;
      const dir = join(work, `${kind}-${target}`);
      try {
        const corpus = makeCorpus(kind, join(dir, 'project'), target);
        const n = corpus.n;
        const root = corpus.root;
        const withPeers = hasBuild && !values['no-peers'] && (kind === 'real' || values.eleventy);
        const eleventyDir = join(dir, 'eleventy');
        const eleventy = withPeers ? prepareEleventy(eleventyDir, root) : undefined;
        if (eleventy) symlinkSync(realpathSync(join(REPO, 'node_modules')), join(eleventyDir, 'node_modules'));
        const hugoDir = join(dir, 'hugo');
        const hugoSite = withPeers && hugo ? prepareHugo(hugoDir, root) : undefined;
        const peers: { eleventy: Run[]; hugo: Run[] } = { eleventy: [], hugo: [] };
        const coldBuild: Partial<Record<Mode, Run>> = {};

        for (const mode of modes) {
          if (!inBudget(`${kind} ${target} accel ${mode}`)) continue;
          const at = { kind, accel: mode, n } as const;
          const tag = `${kind} ${n} accel ${mode}`;
          try {
            if (!large && !values['no-check']) {
              const state = join(dir, `check-state-${mode}`);
              const check = () => cliRun(`check (${tag})`, 'check', ['--root', root, '--state', state], mode);
              const cold = median(
                Array.from({ length: repeats(target) }, () => {
                  rmSync(state, { recursive: true, force: true });
                  return check();
                }),
              );
              record({ ...at, scenario: 'check cold', ...cold, note: cold.spread, lines: accelLines(cold) });
              corpus.edit(Math.floor(n / 2), 1);
              const warm = check();
              record({ ...at, scenario: 'check after 1 change', ...warm, note: '(store warm when accel is on)', lines: accelLines(warm) });
            }
            if (hasBuild) {
              // Each cold run, ours and the peers', writes into new folders, and none is removed until this corpus is
              // measured: removing the last run's tens of thousands of files first made the next run's file creation
              // wait on the file system (ext4 with online discard here), and cold times swung by 2x for every tool.
              // Before each cold run, `sync` writes out what the last one left in memory. The rebuilds go on in the
              // last cold run's folders.
              const dirs = (i: number) => ({ state: join(dir, `state-${mode}-${i}`), out: join(dir, `site-${mode}-${i}`) });
              let { state, out } = dirs(0);
              const build = () => cliRun(`build (${tag})`, 'build', ['--root', root, '--out', out, '--state', state], mode);
              const colds: Run[] = [];
              for (let i = 0; i < repeats(target); i++) {
                ({ state, out } = dirs(i));
                execFileSync('sync');
                colds.push(build());
                if (mode !== peerMode) continue;
                if (eleventy) {
                  execFileSync('sync');
                  peers.eleventy.push(ok(run(process.execPath, eleventy.args(join(eleventyDir, `_site-${i}`)), { cwd: eleventyDir }), `Eleventy (${kind} ${n})`));
                }
                if (hugoSite && hugo) {
                  execFileSync('sync');
                  peers.hugo.push(ok(run(hugo.path, hugoSite.args(join(dir, `hugo-site-${i}`), join(dir, `hugo-cache-${i}`))), `Hugo (${kind} ${n})`));
                }
              }
              const cold = median(colds);
              coldBuild[mode] = cold;
              record({ ...at, scenario: 'build cold', ...cold, note: cold.spread, lines: accelLines(cold) });
              if (!large) {
                corpus.edit(Math.floor(n / 3), 2);
                // The first rebuild after the cold build: the store is warm, and the site it links from is the cold build's.
                const first = build();
                record({ ...at, scenario: 'build, first rebuild', ...first, note: '(right after the cold build)', lines: accelLines(first) });
                // The steady state, like the cold runs the median of several: each run edits another advisory.
                const warm = median(
                  Array.from({ length: repeats(target) }, (_, i) => {
                    corpus.edit(Math.floor(n / 4) + i, 2);
                    return build();
                  }),
                );
                record({ ...at, scenario: 'build after 1 change', ...warm, note: joinNotes('(steady state)', warm.spread), lines: accelLines(warm) });
                if (kind === 'real' && mode === 'on' && !values['no-floor']) measureFloor(out, n);
                if (!values['no-csaf-cost']) measureCsafCost({ root, corpus, n, at, dirs, cold, warm, build: (s, o) => cliRun(`build, CSAF off (${tag})`, 'build', ['--root', root, '--out', o, '--state', s], mode) });
              }
            }
            if (verbose.check && mode === 'off' && rows.some((r) => r.kind === kind && r.n === n && r.accel === 'off' && r.lines.length)) {
              note(`${tag}: the CLI printed accel: lines with ADVISORIES_ACCEL=0; does it honour the switch?`);
            }
          } catch (error) {
            failures.push(`${tag}: ${(error as Error).message}`);
            console.error(`FAILED ${tag}: ${(error as Error).message}`);
          } finally {
            corpus.restore();
          }
        }

        if (peers.eleventy.length) {
          const e = median(peers.eleventy);
          record({ kind, accel: '', n, scenario: 'Eleventy 3 cold', ...e, note: joinNotes('(pages + RSS)', e.spread) });
          for (const mode of modes) {
            const ours = coldBuild[mode];
            if (ours) record({ kind, accel: mode, n, scenario: 'build / Eleventy (cold)', ratio: true, seconds: ours.seconds / e.seconds, rssMb: NaN, note: `(ratio of the medians; RSS ${fmt(ours.rssMb, 0)} vs ${fmt(e.rssMb, 0)} MB)` });
          }
        }
        if (peers.hugo.length && hugo) {
          const h = median(peers.hugo);
          record({ kind, accel: '', n, scenario: 'Hugo cold', ...h, note: joinNotes(`(${hugo.version}: pages, list, RSS; a reference mark)`, h.spread) });
          for (const mode of modes) {
            const ours = coldBuild[mode];
            if (ours) record({ kind, accel: mode, n, scenario: 'build / Hugo (cold)', ratio: true, seconds: ours.seconds / h.seconds, rssMb: NaN, note: '(ratio of the medians)' });
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  if (!values['no-notify'] && NOTIFY_AVAILABLE(help) && inBudget('notify')) {
    try {
      const r = await benchNotify({ cli, work, subscribers, now: NOW });
      notify.push(`| notify 1 advisory | ${subscribers} | ${fmt(r.seconds)} | ${fmt(r.rssMb, 0)} |  |  | ${fmt(r.perSecond, 0)} msg/s over the whole run (${fmt(r.sinkPerSecond, 0)}/s at the sink, first to last message), ledger ${r.ledgerExact ? 'exact' : 'WRONG'} |`);
      const pass = r.perSecond >= 1000 && r.rssMb < 300 && r.ledgerExact;
      notify.push(`| notify throughput | ${subscribers} | ${fmt(r.perSecond, 0)} msg/s | ${fmt(r.rssMb, 0)} | ≥ 1000/s, < 300 MB | ${pass ? 'yes' : 'no'} | |`);
      console.log(`\nnotify 1 advisory to ${subscribers}: ${fmt(r.seconds)} s, ${fmt(r.rssMb, 0)} MB, ${fmt(r.perSecond, 0)} msg/s (${fmt(r.sinkPerSecond, 0)}/s at the sink), ledger ${r.ledgerExact ? 'exact' : 'WRONG'}; target ≥ 1000/s, < 300 MB ${pass ? '✔' : '✘'}${subscribers < 100000 ? ' (indicative: start-up weighs more below 100,000)' : ''}`);
      if (!r.ledgerExact) console.log(r.detail);
    } catch (error) {
      failures.push(`notify: ${(error as Error).message}`);
    }
  } else if (!values['no-notify'] && !NOTIFY_AVAILABLE(help)) note('notify: no notify command yet, skipped');

  targets = evaluateTargets();
  console.log(`\nTargets (real corpus${targets.indicative ? `; at ${thousands(targets.n)} the verdicts are indicative only, the targets are set for ~10,000` : ''}):`);
  for (const t of targets.rows) {
    console.log(`  ${t.target.padEnd(50)} ${modes.map((m) => `accel ${m}: ${t.value[m] ?? 'not measured'} ${t.pass[m] === undefined ? '' : t.pass[m] ? '✔' : '✘'}`.padEnd(32)).join(' ')}`);
  }
  load1 = loadavg()[0]!;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * What the CSAF outputs add: the same cold build and steady rebuild with `csaf.enabled: false` in the
 * corpus's config, each against its own new folders, and the differences of the medians.
 */
function measureCsafCost(m: {
  root: string;
  corpus: Corpus;
  n: number;
  at: Pick<Row, 'kind' | 'accel' | 'n'>;
  dirs: (i: number) => { state: string; out: string };
  cold: Run;
  warm: Run;
  build: (state: string, out: string) => Run;
}) {
  const file = join(m.root, 'advisories.config.json');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(original), csaf: { enabled: false } }, null, 2));
  try {
    let last = m.dirs(1000);
    const colds = Array.from({ length: repeat }, (_, i) => {
      last = m.dirs(1000 + i);
      execFileSync('sync');
      return m.build(last.state, last.out);
    });
    const cold = median(colds);
    record({ ...m.at, scenario: 'build cold, CSAF off', ...cold, note: cold.spread, lines: accelLines(cold) });
    m.corpus.edit(Math.floor(m.n / 5), 3);
    m.build(last.state, last.out); // the first rebuild, not measured: as above, the steady state follows it
    const warm = median(
      Array.from({ length: repeat }, (_, i) => {
        m.corpus.edit(Math.floor(m.n / 5) + 1 + i, 3);
        return m.build(last.state, last.out);
      }),
    );
    record({ ...m.at, scenario: 'build after 1 change, CSAF off', ...warm, note: joinNotes('(steady state)', warm.spread), lines: accelLines(warm) });
    const added = (on: Run, off: Run) => `+${fmt(on.seconds - off.seconds)} s (×${fmt(on.seconds / off.seconds)}), RSS ${fmt(on.rssMb, 0)} vs ${fmt(off.rssMb, 0)} MB`;
    note(`${m.at.kind} ${m.n} accel ${m.at.accel}: CSAF adds ${added(m.cold, cold)} to the cold build, ${added(m.warm, warm)} to the rebuild after 1 change`);
  } finally {
    writeFileSync(file, original);
  }
}

/**
 * The rebuild's floor (bench/floor.ts, in a child of its own): on the site the steady rebuilds left, each step
 * the writer's invariants make every rebuild take, alone. Their sum is what no rebuild of this site goes below.
 */
function measureFloor(site: string, n: number) {
  const r = ok(run(process.execPath, ['--import', 'tsx', join(REPO, 'bench/floor.ts'), site], { cwd: REPO }), 'rebuild floor');
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { step?: string; seconds: number; cpuSeconds: number; files?: number; records?: number });
  const size = lines.find((l) => l.files !== undefined)!;
  const what: Record<string, string> = {
    link: `floor: link all ${thousands(size.files!)} files`,
    'read-hash': 'floor: read + SHA-256 all',
    archive: `floor: OSV archive, ${thousands(size.records!)}`,
  };
  let seconds = 0;
  let cpu = 0;
  for (const l of lines) {
    if (!l.step) continue;
    seconds += l.seconds;
    cpu += l.cpuSeconds;
    record({ kind: 'real', accel: 'on', n, scenario: what[l.step]!, seconds: l.seconds, rssMb: NaN, cpuSeconds: l.cpuSeconds, note: '(bench/floor.ts: this step alone)' });
  }
  note(`real ${n}: the rebuild's floor (bench/floor.ts, each step alone on the built site) adds up to ${fmt(seconds)} s and ${fmt(cpu, 1)} s of CPU, against the 1.0 s target: linking every file into a new folder (the atomic swap of the whole site), reading and hashing every file (reuse by content), and packing every OSV record into osv/all.zip with yazl (one changed record changes the archive)`);
}

function evaluateTargets() {
  const n = realCount(count);
  const find = (scenario: string, accel: Mode | '', size = n) => rows.find((r) => r.kind === 'real' && r.n === size && r.scenario === scenario && r.accel === accel);
  const eleventy = find('Eleventy 3 cold', '');
  const out: Target[] = [];
  const add = (target: string, measure: (mode: Mode) => { value: string; pass: boolean } | undefined) => {
    const t: Target = { target, value: {}, pass: {} };
    for (const mode of modes) {
      const m = measure(mode);
      if (m) [t.value[mode], t.pass[mode]] = [m.value, m.pass];
    }
    out.push(t);
  };
  add(`cold build no slower than Eleventy 3${eleventy ? ` (${fmt(eleventy.seconds)} s)` : ''}`, (mode) => {
    const b = find('build cold', mode);
    return b && eleventy ? { value: `${fmt(b.seconds)} s`, pass: b.seconds <= eleventy.seconds } : undefined;
  });
  add(`cold build peak RSS below Eleventy 3's${eleventy ? ` (${fmt(eleventy.rssMb, 0)} MB)` : ''}`, (mode) => {
    const b = find('build cold', mode);
    return b && eleventy ? { value: `${fmt(b.rssMb, 0)} MB`, pass: b.rssMb < eleventy.rssMb } : undefined;
  });
  add('rebuild after 1 change ≤ 1.0 s', (mode) => {
    const b = find('build after 1 change', mode);
    return b ? { value: `${fmt(b.seconds)} s`, pass: b.seconds <= 1.0 } : undefined;
  });
  add('cold check ≤ 3 s', (mode) => {
    const c = find('check cold', mode);
    return c ? { value: `${fmt(c.seconds)} s`, pass: c.seconds <= 3 } : undefined;
  });
  if (values.large) {
    add(`${thousands(realCount(LARGE))} cold build peak RSS < 1.5 GB (1536 MB)`, (mode) => {
      const b = find('build cold', mode, realCount(LARGE));
      return b ? { value: `${fmt(b.rssMb, 0)} MB`, pass: b.rssMb < 1536 } : undefined;
    });
  }
  return { n, indicative: n < 9000 || n > 11000, rows: out };
}

function gitDescribe(): string {
  try {
    const sha = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', timeout: 10_000 }).trim();
    const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'bin', 'templates'], { encoding: 'utf8', timeout: 10_000 }).trim();
    return `${sha}${dirty ? ' (with uncommitted changes in src/, bin/ or templates/)' : ''}`;
  } catch {
    return 'unknown';
  }
}
function nproc(): string {
  try {
    return execFileSync('nproc', { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return String(availableParallelism());
  }
}

function report(): string {
  const argv = process.argv.slice(2).join(' ');
  const eleventyVersion = (JSON.parse(readFileSync(join(ELEVENTY_CMD, '../package.json'), 'utf8')) as { version: string }).version;
  const hugo = values['no-peers'] ? undefined : findHugo();
  const table = (kind: Kind, peersOnly: boolean) => {
    const isPeer = (r: Row) => /Eleventy|Hugo/.test(r.scenario);
    const body = rows
      .filter((r) => r.kind === kind && isPeer(r) === peersOnly)
      .map((r) => `| ${r.scenario} | ${r.accel} | ${r.n} | ${r.ratio ? `×${fmt(r.seconds)}` : fmt(r.seconds)} | ${r.ratio ? '' : fmt(r.rssMb, 0)} | ${r.ratio ? '' : fmt(r.cpuSeconds ?? NaN, 1)} | ${r.note} |`)
      .join('\n');
    return body ? `| scenario | accel | N | seconds | peak RSS (MB) | CPU (s) | note |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n${body}\n` : '_Not measured in this run._\n';
  };
  const targetTable = targets.rows.length
    ? `| target | ${modes.map((m) => `accel ${m} | met`).join(' | ')} |\n| --- | ${modes.map(() => '---: | ---').join(' | ')} |\n${targets.rows
        .map((t) => `| ${t.target} | ${modes.map((m) => `${t.value[m] ?? 'not measured'} | ${t.pass[m] === undefined ? '' : t.pass[m] ? 'yes' : 'no'}`).join(' | ')} |`)
        .join('\n')}\n`
    : '_Not measured in this run._\n';
  const accel = rows
    .filter((r) => r.lines.length)
    .map((r) => `- ${r.kind}, accel ${r.accel}, ${r.scenario}, ${r.n}: ${r.lines.map((l) => `\`${l}\``).join(' ')}`)
    .join('\n');
  return `# Benchmarks

Measured with \`npm run bench${argv ? ` -- ${argv}` : ''}\` (bench/run.ts) on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC,
${values.cli ? `CLI \`${values.cli}\` (--cli), bench at commit ${gitDescribe()}` : `CLI at commit ${gitDescribe()}`}; machine: \`nproc\` ${nproc()}, Node ${process.version} (details at the end).

Each row runs ${values.cli ? 'the CLI given with --cli' : values['from-source'] ? 'the CLI from source (`--from-source`: `node bin/advisories.js` in this checkout)' : 'the compiled CLI (`node bin/advisories.js`, as `npm pack` ships it)'} as a child process, on two
corpora:

- **Real** (the headline): the ${thousands(realSources().length)} RustSec advisories in \`bench/corpus/rustsec\` (advisory-db commit
  bf5c0d2, its CC0-1.0 part, converted to this project's format; see the README.md there), real Markdown bodies
  by many authors. They are repeated with shifted ids (RUSTSEC-2021-0001 becomes RUSTSEC-2021-10001, -20001, ...
  in the \`id:\` line and the file name; every other byte is the original's${values['distinct-bodies'] ? `, except one sentence naming the copy
  appended to every body after the first copy's (\`--distinct-bodies\`)` : ''}): ${thousands(realCount(count))} advisories for the time
  scenarios${values.large ? ` and ${thousands(realCount(LARGE))} for memory` : ''}. The edits of the "after 1 change" rows append a paragraph to one advisory.
  ${
    values['distinct-bodies']
      ? 'No two bodies are the same, so each advisory costs what a new one would.'
      : `Caveat: with byte-identical copies there are only ${thousands(realSources().length)} distinct bodies, and the content-addressed
  Markdown store (src/accel/markdown.ts) renders each distinct text once: with acceleration on, these rows understate the cost of as many different advisories.
  \`--distinct-bodies\` measures that instead.`
  }
- **Generated**: ~2 KB advisories from \`bench/corpus.ts\` (every frontmatter field, four sections, a list, a fenced
  code block, a GFM table), ${thousands(count)}${values.large ? ` and ${thousands(LARGE)}` : ''} of them: the series earlier versions of this file reported.

Every scenario runs with acceleration on (the default) and off (\`ADVISORIES_ACCEL=0\` in the environment), and
\`check\` and \`build\` get \`--verbose\` when the CLI takes it; the \`accel:\` lines it printed are listed below the tables.
Wall time is the child's whole run, start-up included; peak RSS comes from ${RSS_SOURCE}, and
so does CPU time (user plus system, of the median run), which a shared machine disturbs less than wall time. "after 1 change"
reruns after editing one advisory: "first rebuild" right after the cold build (with acceleration on: the store
warm, the live site the cold build's), "build after 1 change" the rebuilds after that (each after editing another
advisory), the steady state of a maintainer's rebuilds. Below 40,000, each cold check, cold build and steady
rebuild runs ${repeat === 1 ? 'once' : `${repeat} times`} (the peers' cold builds alternating with ours in the accel ${peerModeName()} pass)${repeat === 1 ? '' : ` and the median is
shown, its peak RSS the highest of the runs`}: this virtual machine's speed drifts by up to 2× within an hour.
Each cold build, ours and the peers', writes into new folders after a \`sync\`; none is removed before that corpus
is done, since creating files right after removing tens of thousands made any tool's cold build up to twice as
slow on this file system. At 40,000 there is one cold build per corpus and mode. Targets are measured here and
never asserted as timings in tests. Every build writes the CSAF provider layout (on by default); the rows
"build cold, CSAF off" and "build after 1 change, CSAF off" repeat those builds with \`csaf.enabled: false\` in the
corpus's config, and a note says what CSAF adds (\`--no-csaf-cost\` skips them).
${notes.length ? `\nNotes from this run:\n\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}
## Targets (real corpus${targets.indicative ? `; at ${thousands(targets.n)} these verdicts are indicative only, the targets are set for ~10,000` : ''})

"rebuild after 1 change" is the steady rebuild (with acceleration on: the store warm, unchanged site files linked).

${targetTable}
## Real corpus

${table('real', false)}
## Peers on the real corpus

Eleventy ${eleventyVersion} (one page per advisory through a Liquid layout, plus an RSS feed; bench/eleventy.ts) and
${hugo ? `Hugo ${hugo.version}` : 'Hugo (not installed here, so not measured)'} (\`hugo --quiet\`, cold, with a new cache folder: one page per advisory, a list page and an RSS
feed with every item's content; bench/hugo.ts): a reference mark for roughly comparable work, not the same site.

${table('real', true)}
## Generated corpus

${table('generated', false)}${values.eleventy ? `\n### Peers on the generated corpus\n\n${table('generated', true)}` : ''}
## What the acceleration did

${accel || '_No `accel:` lines: the CLI measured takes no --verbose, or printed none._'}

## Notify

${notify.length ? `| scenario | subscribers | seconds | peak RSS (MB) | target | met | note |\n| --- | ---: | ---: | ---: | --- | --- | --- |\n${notify.join('\n')}` : '_Not measured in this run._'}

## Machine

- ${cpus()[0]?.model ?? 'unknown CPU'}, \`nproc\` ${nproc()} (${availableParallelism()} available to Node), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM (${(freemem() / 2 ** 30).toFixed(0)} GB free at the end)
- Node ${process.version}, ${process.platform}
- Load average (1 min) ${load0.toFixed(2)} at the start and ${fmt(load1)} at the end${load0 > 0.5 || load1 > 1.5 ? ': other processes shared the machine when this ran, so times are upper bounds' : ''}.
- Whole run: ${((Date.now() - started) / 60_000).toFixed(1)} minutes.
`;
}
function peerModeName(): Mode {
  return modes.includes('on') ? 'on' : modes[0]!;
}
