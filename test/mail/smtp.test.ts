import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

let project: TempProject;
let server: TestServer;
afterEach(async () => {
  await server?.close();
  project?.cleanup();
});

const NOW = '2026-11-25T12:00:00Z';
/** The header as it arrived (unfolded), after the "Name:". */
const header = (m: { headerLines: readonly { key: string; line: string }[] }, name: string) =>
  m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n[ \t]+/g, ' ');

function setup(files: Record<string, string>, rows: string[]) {
  project = tempProject({ ...files, 'subscribers.csv': csv(rows) }, { config: mailConfig() });
  const env = { SMTP_URL: server.url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET };
  const run = (...extra: string[]) => cli(['notify', '--root', project.root, '--now', NOW, ...extra], env);
  return { env, run };
}

describe('advisories notify through SMTP', () => {
  it('mails each published advisory once to the subscribers who asked for it, with the list headers', async () => {
    server = await startSmtp();
    const { run } = setup(
      {
        'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'critical', affected: '">=1.0.0 <1.2.0"', patched: '[1.2.0]' }),
        'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { severity: 'low', title: 'Low one', affected: '">=1.5.0 <1.6.0"', patched: '[1.6.0]' }),
        'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', { published: '2026-12-20T00:00:00Z' }),
      },
      ['all@example.com,,', 'high@example.com,high,', 'old@example.com,,">=1.0.0 <1.1.0"', 'new@example.com,,1.5.x'],
    );
    const first = await run();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const mails = await server.parsed();
    const got = (to: string) => mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === to).map((m) => m.subject).sort();
    expect(got('all@example.com')).toEqual(['[SECURITY] [CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001', '[SECURITY] [LOW] SBX-2026-0002: Low one']);
    expect(got('high@example.com')).toEqual(['[SECURITY] [CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001']);
    expect(got('old@example.com')).toEqual(['[SECURITY] [CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001']);
    expect(got('new@example.com')).toEqual(['[SECURITY] [LOW] SBX-2026-0002: Low one']);
    expect(mails.some((m) => m.subject?.includes('SBX-2026-0003'))).toBe(false); // embargoed

    const m = mails.find((x) => x.subject?.includes('0001') && (x.to as { text: string }).text === 'all@example.com')!;
    expect(m.from?.value[0]).toMatchObject({ name: 'Scalebox Security', address: 'security@scalebox.dev' });
    expect(m.replyTo?.text).toBe('security@scalebox.dev');
    expect(m.messageId).toMatch(/^<[0-9a-f]{16}\.[\w-]{22}@scalebox\.dev>$/);
    expect(header(m, 'list-id')).toContain('security-announce.scalebox.dev');
    expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(m, 'auto-submitted')).toBe('auto-generated');
    expect(header(m, 'precedence')).toBe('bulk');
    const unsub = header(m, 'list-unsubscribe');
    expect(unsub).toMatch(/<https:\/\/security\.scalebox\.dev\/unsubscribe\?token=[\w-]+\.[\w-]{32}>/);
    expect(unsub).toMatch(/<mailto:unsubscribe@scalebox\.dev\?subject=unsubscribe%20[\w.-]+>/);
    expect(m.text).toContain('Severity       : CRITICAL');
    expect(m.text).toContain('Upgrade: npm install scalebox-sdk@1.2.0');
    expect(m.html).toMatch(/<a href="https:\/\/security\.scalebox\.dev\/unsubscribe\?token=[\w-]+\.[\w-]{32}">Unsubscribe<\/a>/);
    expect(first.stdout).toMatch(/total\s+5\s+0\s+0\s+0\s+0/);

    // Rerun: nothing new. After the embargo: only the embargoed one, to those who want it.
    const again = await run();
    expect(again.code).toBe(0);
    expect(server.raw.length).toBe(5);
    expect(again.stdout).toMatch(/total\s+0\s+5\s+0\s+0\s+0/);
    const later = await cli(['notify', '--root', project.root, '--now', '2026-12-20T00:00:01Z'], { SMTP_URL: server.url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET });
    expect(later.code, later.stdout + later.stderr).toBe(0);
    const after = (await server.parsed()).slice(5).map((x) => `${(x.to as { text: string }).text} ${x.subject}`).sort();
    expect(after).toEqual([
      'all@example.com [SECURITY] [HIGH] SBX-2026-0003: Problem in SBX-2026-0003',
      'high@example.com [SECURITY] [HIGH] SBX-2026-0003: Problem in SBX-2026-0003',
      'old@example.com [SECURITY] [HIGH] SBX-2026-0003: Problem in SBX-2026-0003',
    ]);
  });

  it('re-mails a material update threaded under the original, not a change of wording; withdrawals go to earlier recipients only', async () => {
    server = await startSmtp();
    const { run, env } = setup({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { modified: '2026-03-03T00:00:00Z' }) }, ['a@example.com,,']);
    expect((await run()).code).toBe(0);
    const [original] = await server.parsed();

    project.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { modified: '2026-03-04T00:00:00Z' }, '## Impact\n\nReworded.\n\n## Patches\n\nUpgrade.\n'));
    expect((await run()).code).toBe(0);
    expect(server.raw.length).toBe(1);

    project.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { severity: 'critical', modified: '2026-03-05T00:00:00Z' }));
    project.write('subscribers.csv', csv(['a@example.com,,', 'late@example.com,,']));
    const update = await run();
    expect(update.code, update.stdout + update.stderr).toBe(0);
    const mails = await server.parsed();
    const upd = mails.find((m) => (m.to as { text: string }).text === 'a@example.com' && m.subject?.includes('[UPDATED]'))!;
    expect(upd.subject).toBe('[SECURITY] [UPDATED] [CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001');
    expect(upd.inReplyTo).toBe(original!.messageId);
    expect(upd.references).toBe(original!.messageId);
    expect(upd.messageId).not.toBe(original!.messageId);
    expect(upd.text).toContain('Changed: severity');
    // Someone who joined later gets the advisory as it is now, as a first mail.
    expect(mails.filter((m) => (m.to as { text: string }).text === 'late@example.com').map((m) => m.subject)).toEqual(['[SECURITY] [CRITICAL] SBX-2026-0001: Problem in SBX-2026-0001']);

    project.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { severity: 'critical', modified: '2026-03-06T00:00:00Z', withdrawn: '{at: 2026-03-06T00:00:00Z, reason: Not a vulnerability}' }));
    project.write('subscribers.csv', csv(['a@example.com,,', 'late@example.com,,', 'never@example.com,,']));
    expect((await cli(['notify', '--root', project.root, '--now', NOW], env)).code).toBe(0);
    const withdrawn = (await server.parsed()).filter((m) => m.subject?.includes('[WITHDRAWN]'));
    expect(withdrawn.map((m) => (m.to as { text: string }).text).sort()).toEqual(['a@example.com', 'late@example.com']);
    expect(withdrawn[0]!.subject).toBe('[SECURITY] [WITHDRAWN] SBX-2026-0001: Problem in SBX-2026-0001');
    expect(withdrawn[0]!.text).toContain('Reason: Not a vulnerability');
  });

  it('--dry-run prints what would be sent and sends and records nothing', async () => {
    server = await startSmtp();
    const { run } = setup({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') }, ['a@example.com,,', 'b@example.com,,']);
    const dry = await run('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/SBX-2026-0001\s+2 recipients\s+\[SECURITY\] \[HIGH\] SBX-2026-0001: Problem in SBX-2026-0001/);
    expect(server.raw.length).toBe(0);
    // The store exists (a dry run reads the list from it), but no ledger was started and no row written.
    const db = new Database(join(project.root, '.advisories-state', 'list.sqlite'), { readonly: true });
    expect(db.prepare('SELECT (SELECT count(*) FROM ledgers) + (SELECT count(*) FROM deliveries) AS n').get()).toEqual({ n: 0 });
    db.close();
    expect((await run()).code).toBe(0);
    expect(server.raw.length).toBe(2);
  });

  it('delivers to 1,000 subscribers, each exactly once', async () => {
    server = await startSmtp();
    const rows = Array.from({ length: 1000 }, (_, i) => `user${i}@example.com,,`);
    const { run } = setup({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') }, rows);
    const r = await run();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const counts = await server.countsByRecipient();
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(r.stdout).toMatch(/total\s+1000\s+0\s+0\s+0\s+0/);
  });
});
