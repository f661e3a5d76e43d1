// Two processes starting at once on a new store: both succeed and each migration is applied exactly once.
// The test holds the migration lock itself until both children are provably waiting for it, so the race is
// real every time rather than by luck of timing.
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/list/migrations.ts';
import { MIGRATION_LOCK } from '../../src/list/postgres.ts';
import { BACKENDS, createDatabase, type TestDatabase } from '../helpers/database.ts';

const BIN = fileURLToPath(new URL('../../bin/advisories.js', import.meta.url));

function run(db: TestDatabase) {
  const env = { ...process.env, DATABASE_URL: db.databaseUrl ?? '' };
  const child = spawn(process.execPath, [BIN, 'subscribers', '--state', db.state], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  return { pid: child.pid!, done };
}

/** Until `ready` holds, checking again every 50 ms (bounded by the test timeout). */
async function until(ready: () => boolean | Promise<boolean>) {
  while (!(await ready())) await sleep(50);
}

const hasOpen = (pid: number, file: string) => {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
};

let db: TestDatabase | undefined;
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

describe.each(BACKENDS)('migrations on %s', (kind) => {
  it('two processes migrating a new store at the same moment apply each migration once', async () => {
    db = await createDatabase(kind);
    let release: () => Promise<void>;
    let waiting: (pids: number[]) => Promise<boolean>;
    let applied: () => Promise<number[]>;
    if (kind === 'sqlite') {
      const file = join(db.state, 'list.sqlite');
      const holder = new Database(file);
      holder.pragma('journal_mode = WAL');
      holder.exec('BEGIN IMMEDIATE');
      release = async () => void holder.exec('COMMIT');
      // A child that has the file open is at, or past, its BEGIN IMMEDIATE: waiting on our lock.
      waiting = async (pids) => pids.every((pid) => hasOpen(pid, file));
      applied = async () => {
        const rows = holder.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
        holder.close();
        return rows.map((r) => r.version);
      };
    } else {
      const holder = new pg.Client({ connectionString: db.databaseUrl });
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      release = async () => void (await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]));
      waiting = async () => {
        const r = await holder.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted", [MIGRATION_LOCK]);
        return r.rows[0].n === 2;
      };
      applied = async () => {
        const rows = (await holder.query('SELECT version FROM schema_migrations ORDER BY version')).rows as { version: number }[];
        await holder.end();
        return rows.map((r) => r.version);
      };
    }
    const a = run(db);
    const b = run(db);
    await until(() => waiting([a.pid, b.pid]));
    await release();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.out).toBe(0);
    expect(rb.code, rb.out).toBe(0);
    expect(ra.out).toMatch(/active\s+0/);
    expect(await applied()).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
