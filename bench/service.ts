// The list service under load: `advisories serve` (a child process, on PostgreSQL) and N concurrent clients,
// each repeating subscribe → confirm → one-click unsubscribe with a fresh address, for a fixed time. Reports
// requests/s, latency percentiles and errors, then checks the database's counts against the answers given.
// Confirmation mails go to an in-process SMTP sink; the clients make the confirmation token with the
// shared secret instead of reading it from the mail (mail parsing is not what is measured).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { unsubscribeToken } from '../src/render/mail.ts';
import { confirmationToken } from '../src/serve/tokens.ts';

const SECRET = 'bench-unsubscribe-secret-0123456789';
// The service runs from the bundle an installed package runs (bin/advisories.js in a checkout would run the
// sources through tsx): what is measured is what is deployed. It must be newer than every source file.
const BUNDLE = new URL('../lib/bundle/cli.cjs', import.meta.url).pathname;
const SOURCES = new URL('../src/', import.meta.url).pathname;
const RUN_BUNDLE = `require(${JSON.stringify(BUNDLE)}).runCli(process.argv.slice(1)).then((code) => { process.exitCode = code; })`;

function checkBundle(): void {
  let built: number;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    throw new Error(`${BUNDLE} is missing: run npm run build:ts first`);
  }
  const newer = readdirSync(SOURCES, { recursive: true, encoding: 'utf8' }).find((f) => statSync(join(SOURCES, f)).mtimeMs > built);
  if (newer) throw new Error(`src/${newer} is newer than ${BUNDLE}: run npm run build:ts first`);
}

export interface ServiceBenchOptions {
  seconds: number;
  clients: number;
  /** postgres://… of a server where a scratch database may be created (default the local test server). */
  admin: string;
  /** A folder for a V8 CPU profile of the service process. */
  profile?: string;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The SMTP sink (bench/smtp-sink.mjs), in a worker thread. */
async function sink() {
  const counter = new SharedArrayBuffer(4);
  const mails = new Int32Array(counter);
  const worker = new Worker(new URL('./smtp-sink.mjs', import.meta.url), { workerData: { counter } });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url,
    mails: () => Atomics.load(mails, 0),
    close: async () => {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

/** The fields of /proc/PID/stat after the command name (Linux), or undefined when the process is gone. */
function stat(pid: number | string | undefined): { comm: string; fields: string[] } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), fields: text.slice(text.lastIndexOf(')') + 2).split(' ') };
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used (Linux /proc): on a shared machine, a figure the load does not inflate. */
function cpuSeconds(pid: number | undefined): number {
  const s = stat(pid);
  return s ? (Number(s.fields[11]) + Number(s.fields[12])) / 100 : NaN;
}

/**
 * CPU seconds of every local PostgreSQL process (comm "postgres"): the live ones, plus what the postmaster
 * has collected from its ended children. Other users of the same server are counted too.
 */
function postgresCpuSeconds(): number {
  let ticks = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const s = stat(pid);
    if (s?.comm !== 'postgres') continue;
    found = true;
    ticks += Number(s.fields[11]) + Number(s.fields[12]);
    // The postmaster (its parent is not a postgres process) holds its reaped children's time.
    if (stat(s.fields[1])?.comm !== 'postgres') ticks += Number(s.fields[13]) + Number(s.fields[14]);
  }
  return found ? ticks / 100 : NaN;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function benchService(o: ServiceBenchOptions): Promise<number> {
  checkBundle();
  const name = `adv_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: o.admin });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = o.admin.replace(/\/[^/]*$/, `/${name}`);
  const root = mkdtempSync(join(tmpdir(), 'advisories-bench-service-'));
  const smtp = await sink();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/`;
  writeFileSync(join(root, 'SECURITY.md'), '# Security\n');
  writeFileSync(
    join(root, 'advisories.config.json'),
    JSON.stringify({
      product: 'Bench',
      siteUrl: 'https://security.bench.example/',
      mail: { from: 'Bench <security@bench.example>', listId: 'Bench <bench.example>', unsubscribeUrl: `${base}unsubscribe?token={token}`, maxConnections: 4 },
      // One IP sends everything here: the per-IP limits are lifted for the measurement.
      service: { url: base, requestsPerMinute: 10_000_000, subscribesPerHour: 10_000_000 },
    }),
  );
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVICE_NODE_OPTIONS?.split(' ') ?? []), ...(o.profile ? ['--cpu-prof', '--cpu-prof-dir', o.profile] : []), '-e', RUN_BUNDLE, 'serve', '--root', root, '--state', join(root, 'state'), '--port', String(port)], {
    env: { PATH: process.env.PATH, UNSUBSCRIBE_SECRET: SECRET, SMTP_URL: smtp.url, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const onOut = (d: Buffer) => {
    out += d.toString();
    if (out.includes('listening on')) child.stdout.off('data', onOut).resume();
  };
  child.stdout.on('data', onOut);
  for (let i = 0; i < 1200 && !out.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 50));
  if (!out.includes('listening on')) throw new Error(`advisories serve did not start:\n${out}`);

  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const latencies: number[] = [];
  const byRoute = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const answered = { subscribed: 0, confirmed: 0, unsubscribed: 0 };
  const post = (path: string, type: string, body: string) =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      const req = request(`${base}${path}`, { method: 'POST', agent, headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - t0;
          latencies.push(ms);
          const route = path.replace(/\?.*/, '');
          if (!byRoute.has(route)) byRoute.set(route, []);
          byRoute.get(route)!.push(ms);
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', (e) => {
        latencies.push(performance.now() - t0);
        errors.set(e.message, (errors.get(e.message) ?? 0) + 1);
        resolve(0);
      });
      req.end(body);
    });
  const expect = (what: string, status: number, want: number) => {
    if (status === want) return true;
    const key = `${what} answered ${status}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
    return false;
  };

  const cpu0 = cpuSeconds(child.pid);
  const pgCpu0 = postgresCpuSeconds();
  const benchCpu0 = process.cpuUsage();
  const started = performance.now();
  const until = started + o.seconds * 1000;
  const load0 = loadavg()[0]!;
  await Promise.all(
    Array.from({ length: o.clients }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) {
        const email = `c${c}-${i}@bench.example`;
        if (!expect('subscribe', await post('subscribe', 'application/json', JSON.stringify({ email, minSeverity: 'high' })), 202)) continue;
        answered.subscribed++;
        const token = confirmationToken(SECRET, email, new Date());
        if (!expect('confirm', await post('confirm', 'application/json', JSON.stringify({ token })), 200)) continue;
        answered.confirmed++;
        if (!expect('unsubscribe', await post(`unsubscribe?token=${unsubscribeToken(SECRET, email)}`, 'application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click'), 200)) continue;
        answered.unsubscribed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const load1 = loadavg()[0]!;
  const serviceCpu = cpuSeconds(child.pid) - cpu0;
  const mailsDuring = smtp.mails();
  const pgCpu = postgresCpuSeconds() - pgCpu0;
  const benchCpuUsage = process.cpuUsage(benchCpu0);
  const benchCpu = (benchCpuUsage.user + benchCpuUsage.system) / 1e6;
  agent.destroy();
  // After SIGTERM the service sends the mails still queued: that CPU belongs to the load too.
  let cpuAtExit = cpuSeconds(child.pid);
  const watch = setInterval(() => {
    const now = cpuSeconds(child.pid);
    if (!Number.isNaN(now)) cpuAtExit = now;
  }, 10);
  const stopping = performance.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(watch);
  const drainSeconds = (performance.now() - stopping) / 1000;
  const cpuAfter = cpuAtExit - cpu0 - serviceCpu;

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const rows = (await db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM subscribers GROUP BY state')).rows;
  await db.end();
  const counts = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  const total = rows.reduce((n, r) => n + Number(r.n), 0);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await smtp.close();
  rmSync(root, { recursive: true, force: true });

  const sorted = latencies.sort((a, b) => a - b);
  const rps = latencies.length / seconds;
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const consistent = total === answered.subscribed && (counts.unsubscribed ?? 0) === answered.unsubscribed && (counts.active ?? 0) === answered.confirmed - answered.unsubscribed;
  console.log(`service: ${o.clients} clients, ${seconds.toFixed(1)} s, ${latencies.length} requests, ${rps.toFixed(0)} req/s`);
  console.log(`  latency ms: p50 ${percentile(sorted, 50).toFixed(1)}, p90 ${percentile(sorted, 90).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${(sorted.at(-1) ?? NaN).toFixed(1)}`);
  for (const [route, ms] of byRoute) {
    ms.sort((a, b) => a - b);
    console.log(`    ${route}: ${ms.length} answers, p50 ${percentile(ms, 50).toFixed(1)}, p99 ${percentile(ms, 99).toFixed(1)}`);
  }
  console.log(`  answers: ${answered.subscribed} subscribed, ${answered.confirmed} confirmed, ${answered.unsubscribed} unsubscribed; errors ${errorCount}${errorCount ? ` (${[...errors].map(([k, v]) => `${k}: ${v}`).join('; ')})` : ''}`);
  console.log(`  database: ${JSON.stringify(counts)} (${total} rows): ${consistent ? 'equal to the answers given' : 'DIFFERENT from the answers given'}; confirmation mails received ${smtp.mails()} (${mailsDuring} by the end of the load)`);
  console.log(`  service CPU: ${serviceCpu.toFixed(1)} s for ${latencies.length} requests = ${((serviceCpu * 1000) / latencies.length).toFixed(2)} ms per request (its own process only, during the load); ${cpuAfter.toFixed(1)} s more in the ${drainSeconds.toFixed(1)} s it took to stop (queued mails): ${(((serviceCpu + cpuAfter) * 1000) / latencies.length).toFixed(2)} ms per request in all`);
  const perRequest = (cpu: number) => `${cpu.toFixed(1)} s = ${((cpu * 1000) / latencies.length).toFixed(2)} ms per request`;
  console.log(`  PostgreSQL CPU: ${perRequest(pgCpu)} (every postgres process on this machine); bench clients and SMTP sink CPU: ${perRequest(benchCpu)}`);
  console.log(`  service exit ${code}; load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on ${(await import('node:os')).cpus().length} cores`);
  console.log(`  targets: ≥1000 req/s ${rps >= 1000 ? 'met' : 'MISSED'}, p99 <100 ms ${percentile(sorted, 99) < 100 ? 'met' : 'MISSED'}, zero errors ${errorCount === 0 ? 'met' : 'MISSED'}, counts ${consistent ? 'met' : 'MISSED'}`);
  return errorCount === 0 && consistent && code === 0 ? 0 : 1;
}
