// Operator faults around notify's state folder: each one message, exit 2, nothing sent and nothing
// recorded; and a stale lock of a run that is gone is taken over with a note, every advisory still mailed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
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

async function setup() {
  server = await startSmtp();
  project = tempProject(
    { 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002'), 'subscribers.csv': csv(['a@example.com,,', 'b@example.com,,']) },
    { config: mailConfig() },
  );
  return { SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET, SMTP_URL: server.url };
}
const notify = (env: NodeJS.ProcessEnv, ...extra: string[]) => cli(['notify', '--root', project.root, '--now', NOW, ...extra], env);
const state = () => join(project.root, '.advisories-state');

describe('notify and a state folder it cannot use', () => {
  it('a foreign file as the mail ledger: exit 2, one message saying what to do, nothing sent, the file and the lock left as they were', async () => {
    const env = await setup();
    project.write('.advisories-state/mail-ledger.sqlite', 'name,email\nsomeone else’s spreadsheet\n'.repeat(200));
    const r = await notify(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^advisories notify: .*mail-ledger\.sqlite is not a mail ledger \(file is not a database\)\. Nothing was sent\. Put the real ledger back/);
    expect(r.stderr).not.toContain('internal error');
    expect(server!.raw.length).toBe(0);
    expect(project.read('.advisories-state/mail-ledger.sqlite')).toContain('someone else’s spreadsheet');
    expect(existsSync(join(state(), 'notify.lock'))).toBe(false);
  });

  it('a folder where the ledger should be (unopenable): exit 2, nothing sent', async () => {
    const env = await setup();
    mkdirSync(join(state(), 'mail-ledger.sqlite'), { recursive: true });
    const r = await notify(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^advisories notify: cannot open the mail ledger .*mail-ledger\.sqlite \(.*\)\. Nothing was sent\. Make the state folder and the ledger readable/);
    expect(server!.raw.length).toBe(0);
    expect(existsSync(join(state(), 'notify.lock'))).toBe(false);
  });

  it('a state folder that cannot be created: exit 2, one message, nothing sent', async () => {
    const env = await setup();
    project.write('blocked', 'a file where a folder is needed');
    const r = await cli(['notify', '--root', project.root, '--now', NOW, '--state', join(project.root, 'blocked', 'state')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^advisories notify: the list store .*blocked\/state\/list\.sqlite failed \(.*\): check that the state folder is a folder this user can write\n$/);
    expect(server!.raw.length).toBe(0);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only state folder: exit 2, one message, nothing sent', async () => {
    const env = await setup();
    mkdirSync(state(), { mode: 0o500 });
    const r = await notify(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the lock in the state folder .* \(EACCES\)/);
    expect(server!.raw.length).toBe(0);
  });

  it('a stale lock whose process is gone is taken over with a note, and every advisory is mailed', async () => {
    const env = await setup();
    // The pid of a process that has exited: nobody holds the lock any more.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    project.write('.advisories-state/notify.lock', JSON.stringify({ pid: Number(gone), host: hostname(), since: '2026-11-25T11:00:00Z' }));
    const r = await notify(env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`Note: took over a stale lock left by process ${gone}, which is no longer running.`);
    expect(server!.raw.length).toBe(4);
    expect(existsSync(join(state(), 'notify.lock'))).toBe(false);
  });

  it('a lock of a run on another machine names that machine and what to do, instead of "undefined"', async () => {
    const env = await setup();
    project.write('.advisories-state/notify.lock', JSON.stringify({ pid: 1, host: 'ci-runner-7' }));
    const r = await notify(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`advisories notify: another notify run on ci-runner-7 holds ${join(state(), 'notify.lock')} (pid 1); wait for it to finish. If no run is going on there, delete the file\n`);
    expect(server!.raw.length).toBe(0);
    // The list store opens first (and is left as it was); the other machine's lock is untouched.
    expect(readdirSync(state())).toEqual(['list.sqlite', 'notify.lock']);
    expect(readFileSync(join(state(), 'notify.lock'), 'utf8')).toContain('ci-runner-7');
  });
});
