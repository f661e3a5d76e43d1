// Runs a command as a child process and reads its wall time and peak RSS honestly: from GNU time
// (the kernel's rusage of the child) when present, else from the child itself through rss-hook.mjs.
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
}

const GNU_TIME = '/usr/bin/time';
const HOOK = new URL('./rss-hook.mjs', import.meta.url).pathname;
export const RSS_SOURCE = existsSync(GNU_TIME) ? 'GNU time (max RSS of the child)' : 'process.resourceUsage().maxRSS reported by the child';

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const report = join(dir, 'rss');
  const env = { ...process.env, ...options.env };
  const start = performance.now();
  const useTime = existsSync(GNU_TIME);
  const child = useTime
    ? spawnSync(GNU_TIME, ['-f', '%M', '-o', report, command, ...args], { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(command, args, {
        cwd: options.cwd,
        env: { ...env, BENCH_RSS_FILE: report, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${HOOK}` },
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
  const seconds = (performance.now() - start) / 1000;
  const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n') : [];
  const kb = Number(lines[lines.length - 1]);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, rssMb: Number.isFinite(kb) ? kb / 1024 : NaN, code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

/** The same measurement without blocking this process's event loop (the notify sink runs in it). */
export async function runAsync(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const report = join(dir, 'rss');
  const env = { ...process.env, ...options.env };
  const useTime = existsSync(GNU_TIME);
  const start = performance.now();
  const child = useTime
    ? spawn(GNU_TIME, ['-f', '%M', '-o', report, command, ...args], { env })
    : spawn(command, args, { env: { ...env, BENCH_RSS_FILE: report, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${HOOK}` } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const seconds = (performance.now() - start) / 1000;
  const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n') : [];
  const kb = Number(lines[lines.length - 1]);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, rssMb: Number.isFinite(kb) ? kb / 1024 : NaN, code, stdout, stderr };
}
