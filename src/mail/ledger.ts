// The ledger: one SQLite row per (advisory revision, subscriber). A row exists only once a message was
// handed to the server; "no row" means not attempted yet. States:
//   unknown           the message was being transmitted (DATA begun) and no final reply was recorded:
//                     a crash, or a connection dropped before the reply. Never resent automatically.
//   sent              the server accepted it (its reply is kept)
//   failed-permanent  the server refused it with 5xx: never retried
//   pending           refused for now (4xx) after the retries of a run: the next run tries again
// The "unknown" row is written synchronously the moment the message body starts to flow, so a kill -9
// at any point can only leave a message unknown, never sent twice.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AdvisoriesError } from '../core/errors.ts';

export const STATES = ['pending', 'sent', 'failed-permanent', 'unknown'] as const;
export type DeliveryState = (typeof STATES)[number];

export interface DeliveryRow {
  revision: string;
  state: DeliveryState;
  message_id: string;
}

export interface Outcome {
  advisory: string;
  revision: string;
  subscriber: string;
  state: Exclude<DeliveryState, 'unknown'> | 'unknown';
  messageId: string;
  reply: string;
}

export const ledgerPath = (state: string, kind: 'smtp' | 'outbox') => join(state, kind === 'smtp' ? 'mail-ledger.sqlite' : 'outbox-ledger.sqlite');

export class Ledger {
  private readonly db: Database.Database;
  private readonly rowsFor: Database.Statement<[string, string], DeliveryRow>;
  private readonly upsert: Database.Statement<Record<string, string>>;
  private readonly saveMaterial: Database.Statement<[string, string, string, string]>;
  private readonly materialOf: Database.Statement<[string], { material: string }>;
  private queued: Outcome[] = [];

  /** `path` null: an empty in-memory ledger (a dry run before the first real run). */
  constructor(path: string | null) {
    if (path) mkdirSync(join(path, '..'), { recursive: true });
    this.db = new Database(path ?? ':memory:');
    // WAL: a commit is durable against a killed process without an fsync per message.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Fewer checkpoints (each one fsyncs) while a large run commits a row per message.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS deliveries (
        advisory TEXT NOT NULL, revision TEXT NOT NULL, subscriber TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending','sent','failed-permanent','unknown')),
        message_id TEXT NOT NULL, reply TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (revision, subscriber)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS deliveries_by_advisory ON deliveries (advisory, subscriber);
      CREATE TABLE IF NOT EXISTS revisions (
        revision TEXT PRIMARY KEY, advisory TEXT NOT NULL, material TEXT NOT NULL, first_seen TEXT NOT NULL);`);
    this.rowsFor = this.db.prepare('SELECT revision, state, message_id FROM deliveries WHERE advisory = ? AND subscriber = ? ORDER BY created_at');
    this.upsert = this.db.prepare(`INSERT INTO deliveries VALUES (@advisory, @revision, @subscriber, @state, @messageId, @reply, @at, @at)
      ON CONFLICT (revision, subscriber) DO UPDATE SET state = excluded.state, reply = excluded.reply, updated_at = excluded.updated_at`);
    this.saveMaterial = this.db.prepare('INSERT OR IGNORE INTO revisions VALUES (?, ?, ?, ?)');
    this.materialOf = this.db.prepare('SELECT material FROM revisions WHERE revision = ?');
  }

  static exists(path: string): boolean {
    return existsSync(path);
  }

  /** Every row of one advisory for one subscriber, oldest first: which revisions they got, and how. */
  history(advisory: string, subscriber: string): DeliveryRow[] {
    return this.rowsFor.all(advisory, subscriber);
  }

  /** Of these advisories, the ones with no row at all: nobody has to be looked up for them. */
  unmailed(advisories: readonly string[]): Set<string> {
    const any = this.db.prepare('SELECT 1 FROM deliveries WHERE advisory = ? LIMIT 1');
    return new Set(advisories.filter((a) => any.get(a) === undefined));
  }

  rememberRevision(revision: string, advisory: string, material: unknown, at: Date) {
    this.saveMaterial.run(revision, advisory, JSON.stringify(material), at.toISOString());
  }

  material<T>(revision: string): T | undefined {
    const row = this.materialOf.get(revision);
    return row ? (JSON.parse(row.material) as T) : undefined;
  }

  /** Results are batched; `flush` (and every `beginTransmission`) commits them in one transaction. */
  record(outcome: Outcome) {
    this.queued.push(outcome);
    // Results arriving in the same turn of the event loop share one transaction.
    if (this.queued.length === 1) setImmediate(() => this.db.open && this.flush());
  }

  /** Synchronous, before the first byte of the body leaves: from here on a crash means "unknown". */
  beginTransmission(o: Omit<Outcome, 'state' | 'reply'>) {
    this.flush({ ...o, state: 'unknown', reply: 'in flight: no reply recorded' });
  }

  flush(extra?: Outcome) {
    const batch = extra ? [...this.queued, extra] : this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const o of batch) this.upsert.run({ advisory: o.advisory, revision: o.revision, subscriber: o.subscriber, state: o.state, messageId: o.messageId, reply: o.reply.slice(0, 500), at });
    })();
  }

  countByState(): Record<DeliveryState, number> {
    const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM deliveries GROUP BY state').all() as { state: DeliveryState; n: number }[]) counts[r.state] = r.n;
    return counts;
  }

  close() {
    this.flush();
    this.db.close();
  }
}

/**
 * Opens the ledger. A file there that is not a ledger, or a state folder this user cannot write, is the
 * operator's to fix: one message with what to do (exit 2). Never "start a new one": that would resend everything.
 */
export function openLedger(path: string | null): Ledger {
  try {
    return new Ledger(path);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_ERROR') {
      throw new AdvisoriesError(
        'STATE',
        `${path} is not a mail ledger (SQLite: ${(error as Error).message}). Nothing was sent. Put the real ledger back (\`advisories state restore\`, or a backup); ` +
          'only if this list has never been mailed, move the file away and run again with --fresh',
        { cause: error },
      );
    }
    if (/^SQLITE_(READONLY|CANTOPEN|PERM|IOERR)/.test(code) || ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(code)) {
      throw new AdvisoriesError(
        'STATE',
        `cannot open the mail ledger ${path} for writing (${(error as Error).message}). Nothing was sent. Make the state folder and the ledger writable by this user, or choose another folder with --state DIR`,
        { cause: error },
      );
    }
    throw error;
  }
}
