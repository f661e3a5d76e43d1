// The shared store: PostgreSQL (DATABASE_URL=postgres://…), for the hosted service and any number of
// notify workers. Migrations run under a transaction-level advisory lock. A pair is claimed with a
// session-level advisory lock on one dedicated connection: a second worker skips (or waits for) it, and a
// worker that dies, even by SIGKILL, loses its connection and with it every claim it held.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { AdvisoriesError } from '../core/errors.ts';
import type { Claims, PairKey } from './deliveries.ts';
import { makeStore } from './make.ts';
import { MIGRATIONS, statements } from './migrations.ts';
import type { ListStore } from './store.ts';
import type { Sql } from './sql.ts';

/** The advisory-lock key of migrations (any fixed number; locks are per database). */
export const MIGRATION_LOCK = 7_142_015;

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

/** Any failure of the database as a STORE error a person can act on (no stack trace, no password). */
const storeError = (url: string, error: unknown) => {
  if (error instanceof AdvisoriesError) return error;
  const e = error as Error & { code?: string };
  const readOnly = e.code === '25006' ? ' (the database is read-only)' : '';
  return new AdvisoriesError('STORE', `the list store at ${redact(url)} failed${readOnly}: ${e.message || e.code || 'error'}${e.code && !e.message?.includes(e.code) ? ` (${e.code})` : ''}`, { cause: error });
};

type Queryable = pg.Pool | pg.PoolClient;

/** Connections per process (plus the one notify's claims hold). */
export const POOL_SIZE = 16;

/**
 * Statements with parameters run as named prepared statements: each connection parses and plans one the
 * first time only. The names are bounded; past the bound, statements run unnamed.
 */
const names = new Map<string, string>();
const MAX_NAMED = 500;
const named = (text: string, values: unknown[]): pg.QueryConfig => {
  if (!values.length) return { text, values };
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) names.set(text, (name = `advisories_${names.size + 1}`));
  return name === undefined ? { text, values } : { name, text, values };
};

function sqlOn(url: string, q: Queryable, pool: pg.Pool | null): Sql {
  const query = async (text: string, params: readonly unknown[]) => {
    try {
      return await q.query(named(text, params as unknown[]));
    } catch (error) {
      throw storeError(url, error);
    }
  };
  return {
    dialect: 'postgres',
    forUpdate: ' FOR UPDATE',
    all: async <T>(text: string, params: readonly unknown[] = []) => (await query(text, params)).rows as T[],
    run: async (text, params = []) => (await query(text, params)).rowCount ?? 0,
    // synchronous_commit decides durability, as for COMMIT: the server's default (on) flushes the WAL first.
    write: async <T>(text: string, params: readonly unknown[] = []) => {
      const r = await query(text, params);
      return { rows: r.rows as T[], changed: r.rowCount ?? 0 };
    },
    tx: pool
      ? async (fn) => {
          const client = await pool.connect().catch((error: unknown) => Promise.reject(storeError(url, error)));
          try {
            await client.query('BEGIN');
            const out = await fn(sqlOn(url, client, null));
            await client.query('COMMIT');
            return out;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          } finally {
            client.release();
          }
        }
      : (fn) => fn(sqlOn(url, q, null)),
  };
}

export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Held until COMMIT: a second process starting at the same moment waits here, then finds nothing to do.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const current = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0].v);
    const known = MIGRATIONS.at(-1)!.version;
    if (current > known) throw new AdvisoriesError('SETUP', `the list store was migrated by a newer version of advisories (schema ${current}; this one knows up to ${known}): upgrade advisories`);
    let applied = 0;
    for (const m of MIGRATIONS.filter((m) => m.version > current)) {
      for (const s of statements(m.sql)) await client.query(s);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
      applied++;
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function openPostgres(url: string, bounceLimit: number): Promise<ListStore> {
  // Enough connections that many requests commit at once: the server flushes their commits together.
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw storeError(url, error);
  }

  // Session-level locks live on one connection, so every claim goes through this one client.
  let locks: Promise<pg.PoolClient> | undefined;
  const lockClient = () => (locks ??= pool.connect().catch((error: unknown) => Promise.reject(storeError(url, error))));
  const lockQuery = async (text: string, params: unknown[]) => {
    const client = await lockClient();
    try {
      return await client.query<{ got: boolean }>(text, params);
    } catch (error) {
      throw storeError(url, error);
    }
  };
  // Two int4 keys: the pair's revision (with the channel) and its subscriber, hashed by the server.
  const LOCK_ARGS = 'hashtext($1), hashtext($2)';
  const args = (channel: string, k: PairKey) => [`${channel}:${k.revision}`, k.subscriber];
  const claims: Claims = {
    async take(channel, k, wait) {
      if (!wait) return (await lockQuery(`SELECT pg_try_advisory_lock(${LOCK_ARGS}) AS got`, args(channel, k))).rows[0]!.got;
      // Waiting polls instead of blocking the claims connection: a blocked connection could not release
      // this process's own claims, and two waiting workers would deadlock.
      for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
        if ((await lockQuery(`SELECT pg_try_advisory_lock(${LOCK_ARGS}) AS got`, args(channel, k))).rows[0]!.got) return true;
        await sleep(delay);
      }
    },
    async release(channel, k) {
      await lockQuery(`SELECT pg_advisory_unlock(${LOCK_ARGS})`, args(channel, k));
    },
  };

  return makeStore({
    kind: 'postgres',
    describe: redact(url),
    sql: sqlOn(url, pool, pool),
    claims,
    bounceLimit,
    close: async () => {
      // Destroyed, not pooled: its session locks go with it.
      if (locks) (await locks).release(true);
      await pool.end();
    },
  });
}
