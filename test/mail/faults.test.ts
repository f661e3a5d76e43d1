import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, smtpError, startSmtp, type Behaviour, type TestServer } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  project?.cleanup();
});

async function server(b: Behaviour = {}) {
  const s = await startSmtp(b);
  servers.push(s);
  return s;
}

function setup(n: number, mail: object = {}) {
  const rows = Array.from({ length: n }, (_, i) => `user${i}@example.com,,`);
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'subscribers.csv': csv(rows) }, { config: mailConfig({ maxConnections: 1, ...mail }) });
  return (url: string, ...extra: string[]) =>
    cli(['notify', '--root', project.root, '--now', NOW, ...extra], { SMTP_URL: url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET });
}

describe('notify under SMTP faults', () => {
  it('backs off and retries on 421 within the run; what still fails stays pending, exit 1, and the next run sends it', async () => {
    // Messages 3-5 are refused with 421 once each (retried successfully); user9 always gets 451.
    const s = await server({
      rcpt: (a) => (a === 'user9@example.com' ? smtpError(451, 'Try again later') : undefined),
      data: (n) => (n >= 3 && n <= 4 ? smtpError(421, 'Too many messages, slow down') : 'accept'),
    });
    const run = setup(10);
    const r = await run(s.url);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/total\s+9\s+0\s+0\s+0\s+1/);
    expect(r.stdout).toMatch(/pending\s+SBX-2026-0001\s+u\*\*\*@example\.com \(subscriber line 11\): 451/);
    const counts = await s.countsByRecipient();
    // Refused messages arrived too (421 after DATA) but were not accepted: each accepted one only once.
    expect(counts.get('user9@example.com')).toBeUndefined();

    const healthy = await server();
    const next = await run(healthy.url);
    expect(next.code, next.stdout).toBe(0);
    expect([...(await healthy.countsByRecipient()).keys()]).toEqual(['user9@example.com']);
    expect(next.stdout).toMatch(/total\s+1\s+9\s+0\s+0\s+0/);
  });

  it('records a 5xx recipient as failed-permanent, delivers the rest, and never retries it', async () => {
    const s = await server({ rcpt: (a) => (a === 'user2@example.com' ? smtpError(550, 'No such user user2@example.com') : undefined) });
    const run = setup(4);
    const r = await run(s.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/total\s+3\s+0\s+1\s+0\s+0/);
    expect(r.stdout).toMatch(/failed-permanent\s+SBX-2026-0001\s+u\*\*\*@example\.com \(subscriber line 4\): 550 No such user u\*\*\*@example\.com/);
    expect(r.stdout).not.toContain('user2@example.com');
    // Still exit 1: the refused address stays in the list until the operator removes it.
    const again = await run((await server()).url);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/total\s+0\s+3\s+1\s+0\s+0/);
    expect(again.stdout).toContain('remove or correct those addresses');
    expect(servers[1]!.raw.length).toBe(0);
  });

  it('marks a message whose connection dropped after DATA as unknown and resends it only with --resend-unknown', async () => {
    const s = await server({ data: (n) => (n === 2 ? 'drop' : 'accept') });
    const run = setup(3);
    const r = await run(s.url);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/total\s+2\s+0\s+0\s+1\s+0/);
    expect(r.stdout).toMatch(/unknown\s+SBX-2026-0001\s+u\*\*\*@example\.com \(subscriber line 3\)/);
    expect(s.raw.length).toBe(3);

    // A later run that finds mail left unknown says so with exit 1, and sends nothing.
    const rerun = await run(s.url);
    expect(rerun.code).toBe(1);
    expect(s.raw.length).toBe(3);
    expect(rerun.stdout).toContain('--resend-unknown');

    const resend = await run(s.url, '--resend-unknown');
    expect(resend.code).toBe(0);
    expect(s.raw.length).toBe(4);
    expect((await s.countsByRecipient()).get('user1@example.com')).toBe(2);
  });

  it('stops at once on an authentication failure, without the password in the output, and marks nothing failed', async () => {
    const s = await server({ auth: { user: 'mailer', pass: 'right-password' } });
    // A relay on this machine without STARTTLS: the documented opt-out.
    const run = setup(3, { plaintextAuthOnLoopback: true });
    const bad = s.url.replace('right-password', 'wrong-password');
    const r = await run(bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Stopped: authentication failed/);
    expect(r.stdout + r.stderr).not.toContain('wrong-password');
    expect(s.raw.length).toBe(0);
    const good = await run(s.url);
    expect(good.code, good.stdout).toBe(0);
    expect(good.stdout).toMatch(/total\s+3\s+0\s+0\s+0\s+0/);
  });

  it('stops at once when TLS cannot be established (untrusted certificate)', async () => {
    const s = await server({ secure: true });
    const run = setup(2);
    const r = await run(s.url);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Stopped: TLS failed/);
    expect(r.stdout).toMatch(/total\s+0\s+0\s+0\s+0\s+2\n/);
    expect(s.raw.length).toBe(0);
  });
});
