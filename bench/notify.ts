// Notify at scale: one advisory to N subscribers through the real CLI (a child process) into an
// in-process smtp-server sink on 127.0.0.1; then the ledger is checked against what the sink received.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SMTPServer } from 'smtp-server';
import { advisoryId, advisoryText, CONFIG } from './corpus.ts';
import { runAsync as runChild } from './measure.ts';

export const NOTIFY_AVAILABLE = (helpText: string) => helpText.includes('  notify ');

// The sink's own address count: each recipient must arrive exactly once.
async function sink() {
  const recipients = new Map<string, number>();
  let first = 0;
  let last = 0;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: 1 << 20,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) recipients.set(r.address, (recipients.get(r.address) ?? 0) + 1);
        last = performance.now();
        first ||= last;
        callback(null);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, recipients, span: () => (last - first) / 1000, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function writeSubscribers(path: string, n: number) {
  const out = createWriteStream(path);
  out.write('email,min_severity,versions\n');
  for (let i = 0; i < n; i++) if (!out.write(`user${i}@bench.example,,\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(() => r()));
}

export async function benchNotify({ cli, work, subscribers, now }: { cli: string; work: string; subscribers: number; now: string }) {
  const root = join(work, 'notify');
  mkdirSync(join(root, 'advisories'), { recursive: true });
  writeFileSync(join(root, 'SECURITY.md'), readFileSync(new URL('../SECURITY.md', import.meta.url)));
  // Rate limit and connections are operator settings; raised here so the tool, not the throttle, is measured.
  const mail = { from: 'Security <security@bench.example>', listId: 'Bench <bench.example>', unsubscribeUrl: 'https://bench.example/u?t={token}', maxConnections: 8, rateLimit: 1_000_000 };
  writeFileSync(join(root, 'advisories.config.json'), JSON.stringify({ ...CONFIG, mail }));
  writeFileSync(join(root, 'advisories', `${advisoryId(0)}.md`), advisoryText(0));
  const list = join(root, 'subscribers.csv');
  await writeSubscribers(list, subscribers);
  const state = join(root, 'state');

  const server = await sink();
  const env = { SMTP_URL: `smtp://127.0.0.1:${server.port}`, SUBSCRIBERS: list, UNSUBSCRIBE_SECRET: 'bench-secret-0123456789' };
  const args = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), cli, 'notify', '--root', root, '--state', state, '--now', now];
  const r = await runAsync(args, env);
  const again = await runAsync(args, env); // exactly once: a rerun must send nothing
  await server.close();

  const db = new Database(join(state, 'list.sqlite'), { readonly: true });
  const rows = db.prepare("SELECT state, count(*) AS n, count(DISTINCT subscriber) AS d FROM deliveries GROUP BY state").all() as { state: string; n: number; d: number }[];
  db.close();
  const sent = rows.find((x) => x.state === 'sent');
  const received = [...server.recipients.values()];
  const ledgerExact =
    r.code === 0 && again.code === 0 && rows.length === 1 && sent?.n === subscribers && sent.d === subscribers &&
    server.recipients.size === subscribers && received.every((c) => c === 1);
  return { seconds: r.seconds, rssMb: r.rssMb, perSecond: subscribers / r.seconds, sinkPerSecond: subscribers / server.span(), ledgerExact, detail: `${r.stdout.slice(-300)}${r.stderr.slice(-300)}` };
}

// The sink lives in this process, so the child must run without blocking its event loop.
const runAsync = (args: string[], env: NodeJS.ProcessEnv) => runChild(process.execPath, args, { env });

