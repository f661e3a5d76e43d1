import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  project?.cleanup();
});

function setup(rows: string[], files: Record<string, string> = {}) {
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'subscribers.csv': csv(rows), ...files }, { config: mailConfig() });
  return { SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET };
}
const notify = (env: NodeJS.ProcessEnv, ...extra: string[]) => cli(['notify', '--root', project.root, '--now', NOW, ...extra], env);

describe('notify set-up checks', () => {
  it('stops on malformed subscriber rows before sending anything, naming each line and no address', async () => {
    server = await startSmtp();
    const env = setup(['ok@example.com,,', 'not-an-address,,', 'x@example.com,urgent,', 'y@example.com,,>=1.0.0 <<2', 'OK@example.com,,', 'z@example.com,high']);
    const r = await notify({ ...env, SMTP_URL: server.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was sent');
    expect(r.stderr).toMatch(/\$SUBSCRIBERS:3:1\s+error\s+Subscriber row: email is not a valid e-mail address/);
    expect(r.stderr).toMatch(/\$SUBSCRIBERS:4:1\s+error\s+Subscriber row: min_severity must be empty or one of critical, high, medium, low/);
    expect(r.stderr).toMatch(/\$SUBSCRIBERS:5:1\s+error\s+Subscriber row: versions is not a valid semver range/);
    expect(r.stderr).toMatch(/\$SUBSCRIBERS:6:1\s+error\s+Subscriber row: the address is already listed on line 2/);
    expect(r.stderr).toMatch(/\$SUBSCRIBERS:7:1\s+error\s+Subscriber row: the row has 2 columns, the header 3/);
    expect(r.stderr).not.toMatch(/example\.com/);
    expect(server.raw.length).toBe(0);
    expect(existsSync(join(project.root, '.advisories-state'))).toBe(false);
  });

  it('--require-ledger refuses to send when the ledger is missing, unless --fresh; then it finds the ledger', async () => {
    server = await startSmtp();
    const env = { ...setup(['a@example.com,,']), SMTP_URL: server.url };
    const refused = await notify(env, '--require-ledger');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no mail ledger: the SMTP ledger in .*list\.sqlite was never started\. Refusing to send.*--fresh/);
    expect(server.raw.length).toBe(0);

    const fresh = await notify(env, '--require-ledger', '--fresh');
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain('Started a new ledger');
    expect(server.raw.length).toBe(1);

    const next = await notify(env, '--require-ledger');
    expect(next.code).toBe(0);
    expect(server.raw.length).toBe(1);
  });

  it('refuses to run while another live run holds the lock', async () => {
    server = await startSmtp();
    const env = { ...setup(['a@example.com,,']), SMTP_URL: server.url };
    const state = join(project.root, '.advisories-state');
    project.write('.advisories-state/notify.lock', JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname() }));
    const r = await notify(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another notify run holds .*notify\.lock \(pid \d+\)/);
    expect(server.raw.length).toBe(0);
    expect(existsSync(join(state, 'notify.lock'))).toBe(true);
  });

  it('without SMTP_URL writes .eml files to outbox/ once, using the sample list when SUBSCRIBERS is unset', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'examples/subscribers.csv': csv(['a@example.com,,', 'b@example.com,,']) }, { config: mailConfig() });
    const first = await notify({});
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('using the sample list examples/subscribers.csv; mail goes to outbox/ only');
    const files = readdirSync(join(project.root, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(2);
    expect(project.read(`outbox/${files[0]}`)).toMatch(/^Subject: \[SECURITY\] \[HIGH\] SBX-2026-0001: Problem in SBX-2026-0001$/m);
    const second = await notify({});
    expect(second.code).toBe(0);
    expect(readdirSync(join(project.root, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
    expect(second.stdout).toMatch(/total\s+0\s+2\s+0\s+0\s+0/);
  });

  it('never falls back to the sample list for real SMTP, and names bad secrets without their values', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'examples/subscribers.csv': csv(['a@example.com,,']) }, { config: mailConfig() });
    // Without SUBSCRIBERS the list store is the list: empty here, so nothing is sent (nor even connected).
    const r = await notify({ SMTP_URL: 'smtp://u:hunter2-secret@127.0.0.1:1', UNSUBSCRIBE_SECRET: SECRET });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('has no active subscribers: import one with `advisories subscribers import FILE`');
    expect(r.stdout).toMatch(/Sending 0 messages/);
    const bad = await notify({ SMTP_URL: 'http://hunter2-secret.example', DKIM_SELECTOR: 'sel', UNSUBSCRIBE_SECRET: 'short' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SMTP_URL must be an smtp:// or smtps:// URL');
    expect(bad.stderr).toContain('UNSUBSCRIBE_SECRET must be at least 16 characters');
    expect(bad.stderr + bad.stdout).not.toContain('hunter2');
  });
});
