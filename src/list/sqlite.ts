// The embedded store: one SQLite file in the state folder (carried between CI runs by src/state with the
// rest of the folder). One notify run at a time holds the state folder's lock, so claims are in-process.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AdvisoriesError } from '../core/errors.ts';
import type { Claims, PairKey } from './deliveries.ts';
import { makeStore } from './make.ts';
import { MIGRATIONS, statements } from './migrations.ts';
import type { ListStore } from './store.ts';
import type { Sql } from './sql.ts';

export const SQLITE_FILE = 'list.sqlite';

/** $1… as named parameters @p1…, bound from an object (better-sqlite3 counts numbered ?1 as positional). */
const numbered = (sql: string) => sql.replace(/\$(\d+)/g, '@p$1');
const bind = (params: readonly unknown[]) => (params.length ? [Object.fromEntries(params.map((p, i) => [`p${i + 1}`, p === undefined ? null : typeof p === 'boolean' ? Number(p) : p]))] : []);

/** Any failure of the database file as a STORE error a person can act on. */
function storeError(path: string, error: unknown) {
  if (error instanceof AdvisoriesError) return error;
  const e = error as Error & { code?: string };
  const hint = ['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'EACCES', 'EEXIST', 'ENOTDIR', 'EROFS'].includes(e.code ?? '') ? ': check that the state folder is a folder this user can write' : e.code === 'SQLITE_BUSY' ? ': another process holds it; try again when it is done' : '';
  return new AdvisoriesError('STORE', `the list store ${path} failed (${e.code ?? 'error'}: ${e.message})${hint}`, { cause: error });
}

export function migrateSqlite(db: Database.Database): number {
  // BEGIN IMMEDIATE takes the write lock before reading the version: a second process waits (busy_timeout)
  // and then finds the migrations already applied.
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const current = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    const known = MIGRATIONS.at(-1)!.version;
    if (current > known) throw new AdvisoriesError('SETUP', `the list store was migrated by a newer version of advisories (schema ${current}; this one knows up to ${known}): upgrade advisories`);
    let applied = 0;
    for (const m of MIGRATIONS.filter((m) => m.version > current)) {
      for (const s of statements(m.sql)) db.exec(s);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      applied++;
    }
    db.exec('COMMIT');
    return applied;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export async function openSqlite(state: string, bounceLimit: number): Promise<ListStore> {
  const path = join(state, SQLITE_FILE);
  let db: Database.Database;
  try {
    mkdirSync(state, { recursive: true });
    db = new Database(path);
    // WAL: a commit is durable against a killed process without an fsync per message.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    migrateSqlite(db);
  } catch (error) {
    throw storeError(path, error);
  }

  // better-sqlite3 is synchronous; the queue keeps a transaction's statements from interleaving with others'.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw storeError(path, error);
    }
  };
  // Prepared once per text: preparing costs as much as running a small statement.
  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(numbered(sql))));
    return statement;
  };
  const all = <T>(sql: string, params: readonly unknown[]) => guard(() => prepare(sql).all(...bind(params)) as T[]);
  const run = (sql: string, params: readonly unknown[]) => guard(() => prepare(sql).run(...bind(params)).changes);
  const statement = <T>(sql: string, params: readonly unknown[]) =>
    guard(() => {
      const s = prepare(sql);
      if (!s.reader) return { rows: [] as T[], changed: s.run(...bind(params)).changes };
      const rows = s.all(...bind(params)) as T[];
      return { rows, changed: rows.length };
    });
  const inTx: Sql = {
    dialect: 'sqlite',
    forUpdate: '',
    all: async (s, p = []) => all(s, p),
    run: async (s, p = []) => run(s, p),
    write: async (s, p = []) => statement(s, p),
    tx: (fn) => fn(inTx),
  };

  // Single statements that arrive while others wait (a notify run's ledger rows, from every connection at
  // once) are committed together: one commit writes each touched page once instead of once per row.
  // Each still resolves only after that commit, so what it wrote is as durable as its own commit would be.
  let batch: { exec: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const ops = batch;
    batch = [];
    if (ops.length === 1) {
      const op = ops[0]!;
      try {
        op.resolve(op.exec());
      } catch (error) {
        op.reject(error);
      }
      return;
    }
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      guard(() => db.exec('BEGIN IMMEDIATE'));
      for (const op of ops) {
        try {
          results.push({ ok: true, value: op.exec() });
        } catch (error) {
          results.push({ ok: false, value: error });
        }
      }
      guard(() => db.exec('COMMIT'));
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const op of ops) op.reject(error);
      return;
    }
    ops.forEach((op, i) => (results[i]!.ok ? op.resolve(results[i]!.value) : op.reject(results[i]!.value)));
  };
  let scheduled: Promise<unknown> = Promise.resolve();
  const single = <T>(exec: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (batch.push({ exec, resolve: resolve as (v: unknown) => void, reject }) > 1) return;
      // Flushed on the next turn of the event loop: what the sockets deliver in this one joins the batch.
      scheduled = new Promise((r) => setImmediate(r)).then(() => serial(flush));
    });

  const sql: Sql = {
    dialect: 'sqlite',
    forUpdate: '',
    all: (s, p = []) => single(() => all(s, p)),
    run: (s, p = []) => single(() => run(s, p)),
    // On its own, a statement is a transaction of its own, durable like tx's.
    write: (s, p = []) => sql.tx(async () => statement(s, p)),
    tx: (fn) =>
      serial(async () => {
        guard(() => db.pragma('synchronous = FULL'));
        try {
          guard(() => db.exec('BEGIN IMMEDIATE'));
          const out = await fn(inTx);
          guard(() => db.exec('COMMIT'));
          return out;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          if (db.open) db.pragma('synchronous = NORMAL');
        }
      }),
  };

  const held = new Set<string>();
  const id = (channel: string, k: PairKey) => `${channel}\0${k.revision}\0${k.subscriber}`;
  const claims: Claims = {
    async take(channel, k) {
      if (held.has(id(channel, k))) return false;
      held.add(id(channel, k));
      return true;
    },
    async release(channel, k) {
      held.delete(id(channel, k));
    },
  };
  return makeStore({
    kind: 'sqlite',
    describe: path,
    sql,
    claims,
    bounceLimit,
    close: async () => {
      await scheduled;
      await queue;
      if (db.open) db.close();
    },
  });
}
