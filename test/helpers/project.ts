// Inline fixtures: a temporary project with SECURITY.md, optional config and advisories, written per test.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/main.ts';

export const SEED_POLICY = readFileSync(new URL('../../SECURITY.md', import.meta.url), 'utf8');
export const NOW = '2026-11-25T12:00:00Z';

export interface AdvisoryFields {
  [key: string]: unknown;
}

/** A valid advisory's frontmatter lines; override or drop (undefined) fields per test. */
export function advisory(id: string, fields: AdvisoryFields = {}, body = DEFAULT_BODY): string {
  const base: AdvisoryFields = {
    id,
    title: `Problem in ${id}`,
    summary: 'Something bad can happen.',
    severity: 'high',
    affected: '">=1.0.0 <1.2.0"',
    patched: '[1.2.0]',
    reported: '2026-03-01',
    published: '2026-03-02T10:00:00Z',
    ...fields,
  };
  const lines = Object.entries(base)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n\n${body}`;
}

export const DEFAULT_BODY = '## Impact\n\nBad things.\n\n## Patches\n\nUpgrade.\n';

export interface TempProject {
  root: string;
  write(path: string, content: string | Buffer): string;
  read(path: string): string;
  cleanup(): void;
}

export function tempProject(files: Record<string, string | Buffer> = {}, options: { policy?: string | null; config?: object | null } = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'advisories-test-'));
  const write = (path: string, content: string | Buffer) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  };
  if (options.policy !== null) write('SECURITY.md', options.policy ?? SEED_POLICY);
  const config = options.config === undefined ? { package: 'scalebox-sdk', idPrefix: 'SBX' } : options.config;
  if (config !== null) write('advisories.config.json', JSON.stringify(config, null, 2));
  mkdirSync(join(root, 'advisories'), { recursive: true });
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { root, write, read: (p) => readFileSync(join(root, p), 'utf8'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs the CLI in-process, as a user would from the shell, capturing output and exit code. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

export async function checkJson(root: string, now = NOW) {
  const r = await cli(['check', '--root', root, '--format', 'json', '--now', now]);
  return { ...r, diagnostics: JSON.parse(r.stdout) as { file: string; line: number; column: number; ruleId: string; severity: string; message: string; hint?: string }[] };
}
