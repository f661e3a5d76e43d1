// Versioned migrations, in order, never edited once released: a change is a new entry. Each runs in one
// transaction together with its row in schema_migrations, under the backend's lock (sqlite.ts: BEGIN
// IMMEDIATE; postgres.ts: pg_advisory_xact_lock), so two processes starting at once apply each exactly once.
// The SQL is the common subset of SQLite and PostgreSQL. Times are ISO 8601 UTC text (toISOString), which
// sorts as time in both.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'subscribers and mail ledger',
    sql: `
      CREATE TABLE subscribers (
        email TEXT PRIMARY KEY,
        min_severity TEXT CHECK (min_severity IN ('critical','high','medium','low')),
        versions TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending','active','unsubscribed','bounced','complained')),
        created_at TEXT NOT NULL,
        confirmed_at TEXT,
        updated_at TEXT NOT NULL,
        consent_form TEXT NOT NULL,
        consent_requested_at TEXT NOT NULL,
        consent_confirmed_at TEXT,
        consent_ip TEXT,
        bounces INTEGER NOT NULL DEFAULT 0,
        left_via TEXT);
      CREATE INDEX subscribers_by_state ON subscribers (state, email);
      CREATE TABLE confirmation_mails (
        email TEXT NOT NULL, day TEXT NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (email, day));
      CREATE TABLE bounce_events (
        email TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('permanent','complaint')), at TEXT NOT NULL, detail TEXT NOT NULL);
      CREATE INDEX bounce_events_by_email ON bounce_events (email, at);
      CREATE TABLE ledgers (channel TEXT PRIMARY KEY, started_at TEXT NOT NULL);
      CREATE TABLE deliveries (
        channel TEXT NOT NULL CHECK (channel IN ('smtp','outbox')),
        advisory TEXT NOT NULL, revision TEXT NOT NULL, subscriber TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending','sent','failed-permanent','unknown')),
        message_id TEXT NOT NULL, reply TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (channel, revision, subscriber));
      CREATE INDEX deliveries_by_advisory ON deliveries (channel, advisory, subscriber);
      CREATE INDEX deliveries_by_state ON deliveries (channel, state, updated_at);
      CREATE TABLE revisions (
        revision TEXT PRIMARY KEY, advisory TEXT NOT NULL, material TEXT NOT NULL, first_seen TEXT NOT NULL);`,
  },
];

/** Statements of a migration, one by one (node-postgres and better-sqlite3 both take a script, but a list reports better). */
export const statements = (sql: string) =>
  sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
