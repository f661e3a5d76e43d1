// The two backends of the list store, for describe.each: SQLite in a temporary state folder, and a database
// of its own on the PostgreSQL at 127.0.0.1:5432 (trust auth; the `test` database is shared with others,
// so each store gets a fresh `adv_<random>` database, dropped afterwards).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_USER = process.env.PGUSER || 'postgres';
const admin = () => `postgres://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/test`;

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** The state folder (always made: notify keeps its lock and the outbox ledger's neighbours there). */
  state: string;
  /** Set for PostgreSQL. */
  databaseUrl?: string;
  drop(): Promise<void>;
}

export async function createDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const state = mkdtempSync(join(tmpdir(), 'advisories-list-'));
  if (kind === 'sqlite') return { kind, state, drop: async () => rmSync(state, { recursive: true, force: true }) };
  const name = `adv_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return {
    kind,
    state,
    databaseUrl: `postgres://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/${name}`,
    async drop() {
      rmSync(state, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: admin() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export const BACKENDS = ['sqlite', 'postgres'] as const;
