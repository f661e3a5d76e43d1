// `--format json` on notify and state: the real CLI, the outbox, the real SMTP test server and a bare git remote.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifySummary } from '../../src/mail/notify.ts';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { advisory, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, smtpError, startSmtp, type TestServer } from '../helpers/smtp.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const ADVISORIES = {
  'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'critical' }),
  'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { severity: 'low', affected: '">=1.5.0 <1.6.0"', patched: '[1.6.0]' }),
};
const ROWS = ['all@example.com,,', 'high@example.com,high,', 'gone@example.com,,'];

function project(): TempProject & { env: Record<string, string> } {
  const p = tempProject({ ...ADVISORIES, 'subscribers.csv': csv(ROWS) }, { config: mailConfig() });
  cleanups.push(() => p.cleanup());
  return { ...p, env: { SUBSCRIBERS: join(p.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET } };
}
const notify = (p: ReturnType<typeof project>, env: Record<string, string>, ...extra: string[]) =>
  cli(['notify', '--root', p.root, '--now', NOW, ...extra], { ...p.env, ...env });

describe('advisories notify --format json', () => {
  it('to the outbox: the dry-run plan, then the run, as JSON alone on stdout; the text on stderr is what text mode prints', async () => {
    const p = project();
    const dry = await notify(p, {}, '--dry-run', '--format', 'json');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as NotifySummary;
    expect(plan).toMatchObject({ transport: 'outbox', dryRun: true, total: 5, exitCode: 0, meaning: 'all done' });
    if (!plan.dryRun) throw new Error('not a dry run');
    expect(plan.groups.map((g) => [g.advisory, g.kind, g.recipients])).toEqual([
      ['SBX-2026-0001', 'new', 3],
      ['SBX-2026-0002', 'new', 2],
    ]);
    expect(plan.groups[0]!.subject).toBe('[SECURITY] [CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001');
    expect(plan.estimate?.runs.reduce((a, b) => a + b, 0)).toBe(5);
    expect(dry.stderr).toContain('Dry run: nothing is sent or recorded. Would send 5 messages via outbox/');

    // The same run in text mode, on an identical project: its stdout is the JSON run's stderr, byte for byte.
    const twin = project();
    const text = await notify(twin, {});
    const json = await notify(p, {}, '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Started a new ledger: .*\n[^]*\ntotal\s+5\s+0\s+0\s+0\s+0\n$/);
    expect(json.stderr.replaceAll(p.root, twin.root)).toBe(text.stdout);
    const run = JSON.parse(json.stdout) as NotifySummary;
    if (run.dryRun) throw new Error('a dry run');
    expect(run.totals).toEqual({ sent: 5, skipped: 0, failed: 0, unknown: 0, pending: 0 });
    expect(run.advisories.map((a) => [a.advisory, a.sent])).toEqual([
      ['SBX-2026-0001', 3],
      ['SBX-2026-0002', 2],
    ]);
    expect(run).toMatchObject({ transport: 'outbox', total: 5, stopped: null, problems: [], exitCode: 0 });

    const again = JSON.parse((await notify(p, {}, '--format', 'json')).stdout) as NotifySummary;
    expect(again.dryRun === false && again.totals).toEqual({ sent: 0, skipped: 5, failed: 0, unknown: 0, pending: 0 });
  });

  it('through SMTP: a refused address is counted failed, masked, and the exit code is explained', async () => {
    const server: TestServer = await startSmtp({ rcpt: (a) => (a === 'gone@example.com' ? smtpError(550, 'no such user') : undefined) });
    cleanups.push(() => server.close());
    const p = project();
    const r = await notify(p, { SMTP_URL: server.url }, '--format', 'json');
    expect(r.code, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout) as NotifySummary;
    if (s.dryRun) throw new Error('a dry run');
    expect(s).toMatchObject({ transport: 'smtp', exitCode: 1, meaning: 'something failed, is unknown or still pending', stopped: null });
    expect(s.totals).toEqual({ sent: server.accepted.length, skipped: 0, failed: 2, unknown: 0, pending: 0 });
    expect(server.accepted.length).toBe(3);
    expect(s.problems.map((x) => [x.state, x.address])).toEqual([
      ['failed-permanent', 'g***@example.com'],
      ['failed-permanent', 'g***@example.com'],
    ]);
    expect(r.stdout).not.toContain('gone@example.com');
    expect(r.stderr).toContain('Failed: the server refused them for good.');
  });

  it('refuses a format it cannot print', async () => {
    const p = project();
    const r = await notify(p, {}, '--format', 'yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, json');
  });
});

describe('advisories state --format json', () => {
  it('says what was restored and saved, and why a save was skipped', async () => {
    const top = mkdtempSync(join(tmpdir(), 'advisories-statejson-'));
    cleanups.push(() => rmSync(top, { recursive: true, force: true }));
    const seed = join(top, 'seed');
    mkdirSync(seed);
    initRepo(seed);
    writeFileSync(join(seed, '.gitignore'), '.advisories-state/\n');
    writeFileSync(join(seed, 'SECURITY.md'), '# Security\n');
    commitAll(seed, 'project', '2026-03-01T00:00:00Z');
    const origin = join(top, 'origin.git');
    git(top, 'clone', '-q', '--bare', seed, origin);
    const checkout = (name: string) => (git(top, 'clone', '-q', origin, join(top, name)), join(top, name));
    const state = async (root: string, action: string) => {
      const r = await cli(['state', action, '--root', root, '--format', 'json'], { STATE_PASSPHRASE: 'correct horse battery staple' }, root);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };

    const first = checkout('one');
    expect(await state(first, 'restore')).toEqual({ action: 'restore', branch: 'origin/advisories-state', state: join(first, '.advisories-state'), found: false, files: [] });
    expect(await state(first, 'save')).toMatchObject({ action: 'save', saved: false, skipped: 'empty' });
    mkdirSync(join(first, '.advisories-state'), { recursive: true });
    writeFileSync(join(first, '.advisories-state', 'ledger.sqlite'), 'SQLite format 3\0');
    const saved = await state(first, 'save');
    expect(saved).toMatchObject({ saved: true, commit: git(origin, 'rev-parse', 'refs/heads/advisories-state').trim() });
    expect(await state(first, 'save')).toMatchObject({ saved: false, skipped: 'unchanged' });
    expect(await state(checkout('two'), 'restore')).toMatchObject({ found: true, files: ['ledger.sqlite'] });
  });
});

describe('subscribers --format json', () => {
  it('gives the import, the counts by state and the export as JSON', async () => {
    const p = project();
    const state = join(p.root, '.advisories-state');
    const imported = await cli(['subscribers', 'import', 'subscribers.csv', '--root', p.root, '--state', state, '--format', 'json'], {}, p.root);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ action: 'import', file: 'subscribers.csv', added: 3 });
    const counts = await cli(['subscribers', '--state', state, '--format', 'json'], {}, p.root);
    expect(JSON.parse(counts.stdout)).toEqual({ store: 'sqlite', counts: { pending: 0, active: 3, unsubscribed: 0, bounced: 0, complained: 0 } });
    const exported = await cli(['subscribers', 'export', 'out.csv', '--state', state, '--format', 'json'], {}, p.root);
    expect(JSON.parse(exported.stdout)).toEqual({ action: 'export', file: 'out.csv', exported: 3 });
  });
});
