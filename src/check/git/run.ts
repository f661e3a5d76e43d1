// The one way the tool runs git: no shell, output as text, failure as a value (a missing repo is normal).
import { execFile } from 'node:child_process';

export interface GitResult {
  ok: boolean;
  /** git's exit code (0 when ok). */
  code: number;
  stdout: string;
  stderr: string;
}

export function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      // Databases have 10,000+ files: a large buffer for one log pass; no optional locks so CI reads never block.
      { cwd, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', ...env } },
      (error, stdout, stderr) =>
        resolve({ ok: !error, code: error ? Number(error.code) || 1 : 0, stdout: String(stdout), stderr: String(stderr).trim() }),
    );
  });
}

/** Like git(), but a failure is thrown with git's own message (callers turn it into an AdvisoriesError). */
export async function gitOrThrow(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await git(cwd, args, env);
  if (!r.ok) throw new Error(r.stderr || `git ${args.join(' ')} failed`);
  return r.stdout;
}

/** Git's timestamps (seconds) in the form the schema normalises to: UTC, no milliseconds. */
export const isoFromSeconds = (seconds: string) => new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z');

/** Binary output (a blob's bytes), for the saved state. */
export function gitBytes(cwd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(String(stderr).trim() || error.message)) : resolve(stdout),
    );
  });
}
