// Two notify workers on one PostgreSQL store at the same time, one of them killed with SIGKILL mid-run:
// every (advisory revision, subscriber) pair reaches a server exactly once. Each worker has its own SMTP
// server, so the test knows whose message is arriving and kills worker A at the hardest moment: its message
// fully arrived, the server's answer not yet given.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { createDatabase, type TestDatabase } from '../helpers/database.ts';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

const BIN = fileURLToPath(new URL('../../bin/advisories.js', import.meta.url));
const NOW = '2026-11-25T12:00:00Z';
const SUBSCRIBERS = 40;
let project: TempProject | undefined;
let servers: TestServer[] = [];
let db: TestDatabase | undefined;
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  project?.cleanup();
  await db?.drop();
});

function worker(smtp: string, databaseUrl: string) {
  const env = { ...process.env, SMTP_URL: smtp, DATABASE_URL: databaseUrl, UNSUBSCRIBE_SECRET: SECRET, SUBSCRIBERS: '' };
  // Each worker has a state folder of its own, as separate CI runners or hosts would.
  const state = mkdtempSync(join(tmpdir(), 'advisories-worker-'));
  const child = spawn(process.execPath, [BIN, 'notify', '--root', project!.root, '--state', state, '--now', NOW], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { child, exit };
}

it('two notify workers on PostgreSQL, one killed mid-run, deliver every pair exactly once', async () => {
  db = await createDatabase('postgres');
  let a: ChildProcess | undefined;
  let b: ReturnType<typeof worker> | undefined;
  let killed = false;
  let serverB: TestServer | undefined;
  // A is killed on one of its own arrivals once B has delivered a few: both were demonstrably running.
  const serverA = await startSmtp({
    arrived: () => {
      if (!killed && (serverB?.raw.length ?? 0) >= 5) {
        killed = true;
        a?.kill('SIGKILL');
      }
    },
  });
  serverB = await startSmtp();
  servers.push(serverA, serverB);
  const rows = Array.from({ length: SUBSCRIBERS }, (_, i) => `user${String(i).padStart(3, '0')}@example.com,,`);
  project = tempProject(
    { 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002'), 'list.csv': csv(rows) },
    // One connection each (a message whose DATA had only begun at the kill would be "unknown" and, rightly,
    // not resent), and a pace slow enough that the two workers overlap.
    { config: mailConfig({ maxConnections: 1, rateLimit: 25, rateDelta: 1000 }) },
  );
  const imported = await cli(['subscribers', 'import', join(project.root, 'list.csv'), '--root', project.root], { DATABASE_URL: db.databaseUrl! });
  expect(imported.code, imported.stderr).toBe(0);

  const first = worker(serverA.url, db.databaseUrl!);
  a = first.child;
  b = worker(serverB.url, db.databaseUrl!);
  const [ra, rb] = await Promise.all([first.exit, b.exit]);
  expect(ra.signal, ra.out).toBe('SIGKILL');
  // B reports the message A had in flight as unknown (exit 1): it may or may not have arrived, so it is not resent.
  expect([0, 1], rb.out).toContain(rb.code);
  expect(serverB.raw.length).toBeGreaterThanOrEqual(5);

  const counts = new Map<string, number>();
  for (const s of [serverA, serverB]) for (const [to, n] of await s.countsByRecipient()) counts.set(to, (counts.get(to) ?? 0) + n);
  expect(counts.size).toBe(SUBSCRIBERS);
  expect([...counts.entries()].filter(([, n]) => n !== 2)).toEqual([]);
  expect(serverA.raw.length + serverB.raw.length).toBe(SUBSCRIBERS * 2);

  // The ledger agrees: one row per pair, the killed worker's last message "unknown", everything else sent.
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    const states = (await client.query("SELECT state, count(*)::int AS n FROM deliveries WHERE channel = 'smtp' GROUP BY state ORDER BY state")).rows;
    expect(states).toEqual([
      { state: 'sent', n: SUBSCRIBERS * 2 - 1 },
      { state: 'unknown', n: 1 },
    ]);
  } finally {
    await client.end();
  }

  // A later run finds nothing left to send.
  const again = await cli(['notify', '--root', project.root, '--now', NOW], { SMTP_URL: serverB.url, DATABASE_URL: db.databaseUrl!, UNSUBSCRIBE_SECRET: SECRET });
  expect(again.stdout).toMatch(/Sending 0 messages/);
  expect(serverA.raw.length + serverB.raw.length).toBe(SUBSCRIBERS * 2);
  // Two CLI processes start through tsx: on a loaded machine that alone can take most of a minute.
}, 180_000);
