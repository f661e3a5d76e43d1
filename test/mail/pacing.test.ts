// Deferrals, quotas, time budget and urgency against the real SMTP server. Timings are the config's, made
// short here (docs/mail.md gives the defaults; test/mail/pacer.test.ts runs the pacer at them in simulated
// time). Durations are bounded by the settings plus SLACK for loading the project and the list store.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, smtpError, startSmtp, type Behaviour, type TestServer } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
let servers: TestServer[] = [];
let silent: Server | undefined;
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  silent = undefined;
  project?.cleanup();
});

async function server(b: Behaviour = {}) {
  const s = await startSmtp(b);
  servers.push(s);
  return s;
}

/** Setting up a run (project, list store, census) on a busy 2-core CI machine: well under this. */
const SLACK = 8_000;

// Loads the CLI's modules once (a real send to a real server), so that no timed run pays for it.
beforeAll(async () => {
  const s = await server();
  await setup(1)(s.url);
  await s.close();
  servers = [];
  project.cleanup();
});

const users = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@example.com`);

function setup(n: number, mail: object = {}, files: Record<string, string> = { 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') }) {
  project = tempProject({ ...files, 'subscribers.csv': csv(users(n).map((u) => `${u},,`)) }, { config: mailConfig({ maxConnections: 1, ...mail }) });
  return (url: string, ...extra: string[]) =>
    cli(['notify', '--root', project.root, '--now', NOW, ...extra], { SMTP_URL: url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET });
}

describe('a server that defers', () => {
  it('421 to everything after N: the run stops within its deferral budget, exit 1, N sent, the rest pending; a rerun sends exactly the rest', async () => {
    const N = 5;
    const s = await server({ data: (n) => (n <= N ? 'accept' : smtpError(421, '4.7.0 Too many messages, closing connection')) });
    const run = setup(30, { deferralBudget: 1500, probeInterval: 100, commandTimeout: 2000 });
    const started = Date.now();
    const r = await run(s.url);
    const took = Date.now() - started;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // It kept probing for the whole budget, and ended within it plus one command timeout (the last probe).
    expect(took).toBeGreaterThanOrEqual(1500);
    expect(took).toBeLessThan(1500 + 2000 + SLACK);
    expect(s.accepted).toEqual(users(N));
    // Nothing failed or unknown: N sent, 25 pending, and the reason in one line.
    expect(r.stdout).toMatch(/total\s+5\s+0\s+0\s+0\s+25\n/);
    expect(r.stdout).toMatch(/^Stopped early: the server kept deferring for the whole deferral budget of 1\.5s \(last answer: 421 4\.7\.0 Too many messages, closing connection\)\. 25 messages stay pending; the next run continues where this one stopped\.$/m);
    // One shared back-off: a handful of probes, not every message trying on its own.
    expect(s.raw.length - N).toBeLessThan(15);

    const recovered = await server();
    const next = await run(recovered.url);
    expect(next.code, next.stdout).toBe(0);
    expect(recovered.accepted).toEqual(users(30).slice(N));
    expect(next.stdout).toMatch(/total\s+25\s+5\s+0\s+0\s+0\n/);
  });

  it('421 at the greeting of the first connections: waited out like any deferral, then one run delivers everything once', async () => {
    const s = await server({ greet: (n) => (n <= 3 ? smtpError(421, '4.3.2 Service not available, try again later') : undefined) });
    const run = setup(10, { deferralBudget: 20_000, probeInterval: 200, commandTimeout: 2000 });
    const r = await run(s.url);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s.connections()).toBeGreaterThan(3);
    expect(s.accepted.sort()).toEqual(users(10).sort());
    expect(r.stdout).toMatch(/total\s+10\s+0\s+0\s+0\s+0\n/);
  });

  it('421 at every greeting: the run stops after its deferral budget, exit 1, everything pending, the reason in one line', async () => {
    const s = await server({ greet: () => smtpError(421, '4.3.2 Service not available, try again later') });
    const run = setup(4, { deferralBudget: 1500, probeInterval: 100, commandTimeout: 2000 });
    const started = Date.now();
    const r = await run(s.url);
    const took = Date.now() - started;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(took).toBeGreaterThanOrEqual(1500);
    expect(took).toBeLessThan(1500 + 2000 + SLACK);
    expect(s.raw).toHaveLength(0);
    expect(r.stdout).toMatch(/total\s+0\s+0\s+0\s+0\s+4\n/);
    expect(r.stdout).toMatch(/^Stopped early: the server kept deferring for the whole deferral budget of 1\.5s \(last answer: 421 4\.3\.2 Service not available, try again later\)\. 4 messages stay pending; the next run continues where this one stopped\.$/m);
  });

  it('throttles with 451 for 20 seconds, then recovers: one run delivers everything, each exactly once', async () => {
    // The acceptance's 20 seconds, at the default deferral budget; probes start 1 s apart (30 s by default), doubling to 8 s.
    const THROTTLE = 20_000;
    let until = 0;
    const s = await server({
      data: (n) => {
        if (n === 4) until = Date.now() + THROTTLE;
        return n >= 4 && Date.now() < until ? smtpError(451, '4.7.1 Throttled: slow down') : 'accept';
      },
    });
    const run = setup(40, { maxConnections: 2, deferralBudget: 300_000, probeInterval: 1000 });
    const started = Date.now();
    const r = await run(s.url);
    const took = Date.now() - started;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // It waited the throttling out, and resumed within one longest pause (8 × probeInterval) of the recovery.
    expect(took).toBeGreaterThanOrEqual(THROTTLE);
    expect(took).toBeLessThan(THROTTLE + 8 * 1000 + SLACK);
    expect([...s.accepted].sort()).toEqual(users(40).sort());
    expect(r.stdout).toMatch(/total\s+40\s+0\s+0\s+0\s+0\n/);
    // The 451s were answered by pausing the run as a whole, not by each message's own retries.
    const refused = s.raw.length - 40;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(25);
  });

  it('a server that never answers: the run ends within its command timeouts, exit 2, nothing recorded as sent', async () => {
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const run = setup(3, { commandTimeout: 2000 });
    const started = Date.now();
    const r = await run(`smtp://127.0.0.1:${port}`);
    const took = Date.now() - started;
    expect(r.code, r.stdout + r.stderr).toBe(2);
    // Ended by the timeout (the greeting's, or the socket's: both are the commandTimeout here), not by anything later.
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(2 * 2000 + SLACK);
    // Which of nodemailer's timers fires first (the greeting's or the socket's) is a race; both are ETIMEDOUT.
    expect(r.stdout).toMatch(/Stopped: cannot reach the server: ETIMEDOUT: (?:Greeting never received|Timeout)\./);
    expect(r.stdout).toMatch(/total\s+0\s+0\s+0\s+0\s+3\n/);
  });

  it('a server that hangs mid-run (MAIL FROM never answered): a deferral, then a clean stop, the rest pending', async () => {
    const s = await server({ mailFrom: (n) => (n > 3 ? 'hang' : undefined) });
    const run = setup(10, { commandTimeout: 300, deferralBudget: 1000, probeInterval: 100 });
    const started = Date.now();
    const r = await run(s.url);
    const took = Date.now() - started;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // docs/mail.md: the budget, plus one command timeout before the first pause and one for the last probe.
    expect(took).toBeLessThan(1000 + 2 * 300 + SLACK);
    expect(s.accepted).toEqual(users(3));
    expect(r.stdout).toMatch(/total\s+3\s+0\s+0\s+0\s+7\n/);
    expect(r.stdout).toMatch(/Stopped early: the server kept deferring/);
  });

  it('treats 552 at RCPT as temporary: retried, then pending (not failed), and sent by the next run', async () => {
    let full = true;
    const s = await server({ rcpt: (a) => (a === 'user2@example.com' && full ? smtpError(552, '5.2.2 Mailbox full') : undefined) });
    const run = setup(4);
    const r = await run(s.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/total\s+3\s+0\s+0\s+0\s+1\n/);
    expect(r.stdout).toMatch(/pending\s+SBX-2026-0001\s+u\*\*\*@example\.com \(subscriber line 4\): 552 5\.2\.2 Mailbox full/);
    full = false;
    const next = await run(s.url);
    expect(next.code, next.stdout).toBe(0);
    expect(s.accepted.filter((a) => a === 'user2@example.com')).toHaveLength(1);
  });
});

describe('limits', () => {
  it('a daily quota of 50 with 120 due: three simulated days deliver 50, 50 and 20, critical first, as the dry run said', async () => {
    const s = await server();
    const run = setup(60, { quota: { perDay: 50 } }, {
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'low', published: '2026-03-02T10:00:00Z' }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { severity: 'critical', published: '2026-03-05T10:00:00Z' }),
    });
    const dry = await run(s.url, '--dry-run');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Would send 120 messages via SMTP, most urgent first:\n\s+SBX-2026-0002\s+60 recipients\s+\[SECURITY\] \[CRITICAL\][^\n]*\n\s+SBX-2026-0001\s+60 recipients\s+\[SECURITY\] \[LOW\]/);
    expect(dry.stdout).toMatch(/At the configured limits \(.*50 per day \(0 used\)\): 3 runs of 50, 50, 20 messages, about 2d00h in all; each run stops at the quota and the next one continues\./);

    const subjects = async () => s.raw.map((m) => (/^Subject: .*\[CRITICAL\]/m.test(m.toString('latin1')) ? 'critical' : 'low'));
    const day1 = await cli(['notify', '--root', project.root, '--now', '2026-11-25T12:00:00Z'], envOf(s));
    expect(day1.code, day1.stdout + day1.stderr).toBe(1);
    expect(day1.stdout).toMatch(/Stopped early: the quota of 50 messages per day is reached\. 70 messages stay pending/);
    expect(await subjects()).toEqual(Array(50).fill('critical'));

    // Within the same day the quota still holds across runs: the ledger knows what went out.
    const again = await cli(['notify', '--root', project.root, '--now', '2026-11-25T18:00:00Z'], envOf(s));
    expect(again.code).toBe(1);
    expect(s.raw.length).toBe(50);

    const day2 = await cli(['notify', '--root', project.root, '--now', '2026-11-26T12:01:00Z'], envOf(s));
    expect(day2.code, day2.stdout).toBe(1);
    expect((await subjects()).slice(50)).toEqual([...Array(10).fill('critical'), ...Array(40).fill('low')]);
    const day3 = await cli(['notify', '--root', project.root, '--now', '2026-11-27T12:02:00Z'], envOf(s));
    expect(day3.code, day3.stdout).toBe(0);
    expect((await subjects()).slice(100)).toEqual(Array(20).fill('low'));
    const counts = await s.countsByRecipient();
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    expect(counts.size).toBe(60);
  });

  it('--max-duration ends the run cleanly, ledger saved; the next run continues', async () => {
    const s = await server();
    const run = setup(30, { quota: { perSecond: 10 } });
    const started = Date.now();
    const r = await run(s.url, '--max-duration', '1s');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // Ended by the budget: the messages in flight answer at once here (at most one commandTimeout otherwise).
    expect(Date.now() - started).toBeLessThan(1000 + SLACK);
    expect(r.stdout).toMatch(/Stopped early: the time budget \(--max-duration\) is spent\. \d+ messages stay pending/);
    const first = s.accepted.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(30);
    expect(r.stdout).toMatch(new RegExp(`total\\s+${first}\\s+0\\s+0\\s+0\\s+${30 - first}\\n`));
    const next = await run(s.url);
    expect(next.code, next.stdout).toBe(0);
    expect([...s.accepted].sort()).toEqual(users(30).sort());

    const bad = await run(s.url, '--max-duration', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-duration "soon" is not a duration');
  });

  it('the maxDuration of the config is the default time budget, and --max-duration overrides it', async () => {
    const s = await server();
    const run = setup(30, { quota: { perSecond: 10 }, maxDuration: 1000 });
    const started = Date.now();
    const r = await run(s.url);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000 + SLACK);
    // Named where it was set, so the operator knows what to change.
    expect(r.stdout).toMatch(/Stopped early: the time budget \(mail\.maxDuration\) is spent/);
    const first = s.accepted.length;
    expect(first).toBeLessThan(30);
    const longer = await run(s.url, '--max-duration', '60s');
    expect(longer.code, longer.stdout).toBe(0);
    expect([...s.accepted].sort()).toEqual(users(30).sort());
  });
});

const envOf = (s: TestServer) => ({ SMTP_URL: s.url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET });
