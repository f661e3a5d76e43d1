// Runs a command as a child process and reads its wall time and peak RSS honestly: from GNU time
// (the kernel's rusage of the child) when present, else from the child itself through rss-hook.mjs.
// Every child is bounded in time: coreutils `timeout` (between GNU time and the command, so the peak RSS
// still reaches GNU time through wait4) ends it and its process group after `childTimeout` seconds, and
// Node's own spawn timeout is the backstop when `timeout` is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  seconds: number;
  rssMb: number;
  code: number;
  stdout: string;
  stderr: string;
  /** User plus system CPU time of the child (and what it waited for): steadier than wall time on a shared machine. */
  cpuSeconds: number;
}

const GNU_TIME = '/usr/bin/time';
const TIMEOUT = '/usr/bin/timeout';
const HOOK = new URL('./rss-hook.mjs', import.meta.url).pathname;
export const RSS_SOURCE = existsSync(GNU_TIME) ? 'GNU time (max RSS of the child)' : 'process.resourceUsage().maxRSS reported by the child';

let childTimeout = 900;
/** The longest any one child may run, in seconds (default 900). */
export function setChildTimeout(seconds: number): void {
  if (!(seconds > 0)) throw new Error(`child timeout must be positive, got ${seconds}`);
  childTimeout = seconds;
}
/** The command line bounded by `timeout` when present: it exits 124 (or 137 after the KILL) when it fired. */
function bounded(command: string, args: string[]): [string, string[]] {
  return existsSync(TIMEOUT) ? [TIMEOUT, ['-k', '10', String(childTimeout), command, ...args]] : [command, args];
}
const backstopMs = () => (childTimeout + 30) * 1000;

/** The last line of the report: "maxRssKb userSeconds systemSeconds" (GNU time first writes a line of its own when the child was killed). */
function readUsage(report: string): { rssMb: number; cpuSeconds: number } {
  const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n') : [];
  const [kb, user, system] = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(Number);
  return { rssMb: Number.isFinite(kb) ? kb! / 1024 : NaN, cpuSeconds: Number.isFinite(user) && Number.isFinite(system) ? user! + system! : NaN };
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const report = join(dir, 'rss');
  const env = { ...process.env, ...options.env };
  const start = performance.now();
  const useTime = existsSync(GNU_TIME);
  const [cmd, argv] = bounded(command, args);
  const common = { cwd: options.cwd, encoding: 'utf8', maxBuffer: 1 << 30, timeout: backstopMs(), killSignal: 'SIGKILL' } as const;
  const child = useTime
    ? spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', report, cmd, ...argv], { ...common, env })
    : spawnSync(cmd, argv, { ...common, env: { ...env, BENCH_RSS_FILE: report, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${HOOK}` } });
  const seconds = (performance.now() - start) / 1000;
  const usage = readUsage(report);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, ...usage, code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

/** The same measurement without blocking this process's event loop (the notify sink runs in it). */
export async function runAsync(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const report = join(dir, 'rss');
  const env = { ...process.env, ...options.env };
  const useTime = existsSync(GNU_TIME);
  const [cmd, argv] = bounded(command, args);
  const start = performance.now();
  const child = useTime
    ? spawn(GNU_TIME, ['-f', '%M %U %S', '-o', report, cmd, ...argv], { env, timeout: backstopMs(), killSignal: 'SIGKILL' })
    : spawn(cmd, argv, { env: { ...env, BENCH_RSS_FILE: report, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${HOOK}` }, timeout: backstopMs(), killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const seconds = (performance.now() - start) / 1000;
  const usage = readUsage(report);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, ...usage, code, stdout, stderr };
}
