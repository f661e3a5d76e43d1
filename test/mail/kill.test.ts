// The real CLI in a child process, killed with SIGKILL mid-run, then run again: every subscriber must
// have each mail exactly once, counted at the server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

const BIN = fileURLToPath(new URL('../../bin/advisories.js', import.meta.url));
const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
let server: TestServer;
afterEach(async () => {
  await server?.close();
  project?.cleanup();
});

it('a run killed with SIGKILL mid-run and rerun delivers every mail exactly once', async () => {
  const SUBSCRIBERS = 40;
  const KILL_AT = 25;
  let child: ReturnType<typeof spawn> | undefined;
  // The kill lands when the 25th message has fully arrived and before the server answers it: the
  // hardest moment, where the sender cannot know whether it was delivered.
  server = await startSmtp({ arrived: (n) => n === KILL_AT && child?.kill('SIGKILL') });
  const rows = Array.from({ length: SUBSCRIBERS }, (_, i) => `user${i}@example.com,,`);
  project = tempProject(
    { 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002'), 'subscribers.csv': csv(rows) },
    // One connection: with several, a message that had just begun its DATA when the process died is
    // recorded "unknown" too, and a rerun would (rightly) not resend it on its own.
    { config: mailConfig({ maxConnections: 1 }) },
  );
  const env = { ...process.env, SMTP_URL: server.url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET };
  child = spawn(process.execPath, [BIN, 'notify', '--root', project.root, '--now', NOW], { env, stdio: 'ignore' });
  const signal = await new Promise((resolve) => child!.on('exit', (_code, sig) => resolve(sig)));
  expect(signal).toBe('SIGKILL');
  expect(server.raw.length).toBe(KILL_AT);

  // The stale lock of the killed run is taken over; the message in flight at the kill is "unknown".
  const rerun = await cli(['notify', '--root', project.root, '--now', NOW], env);
  expect(rerun.stdout).toContain('stale lock');
  expect(rerun.stdout).toMatch(/total\s+55\s+24\s+0\s+1\s+0/);
  // The message left unknown by the kill keeps the exit at 1 until it is resolved.
  expect(rerun.code, rerun.stdout + rerun.stderr).toBe(1);

  const counts = await server.countsByRecipient();
  expect(counts.size).toBe(SUBSCRIBERS);
  expect([...counts.values()].every((n) => n === 2)).toBe(true);
  expect(server.raw.length).toBe(SUBSCRIBERS * 2);
});
