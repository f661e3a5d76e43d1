// The subscriber side of the store, written once for both backends (the service's three changes have a
// PostgreSQL form of their own, grouped.ts). Every change is a transaction, which the backends make durable
// even against a power cut before it resolves: an unsubscribe answered 2xx stays.
import { AdvisoriesError } from '../core/errors.ts';
import type { Severity } from '../core/schema.ts';
import { SUBSCRIBER_STATES, Email, type BounceKind, type StateCounts, type Subscriber, type SubscriberState, type UnsubscribeVia } from './schema.ts';
import { groupedWrites } from './grouped.ts';
import { first, placeholders, type Sql } from './sql.ts';

interface Row {
  email: string;
  min_severity: Severity | null;
  versions: string | null;
  state: SubscriberState;
  created_at: string;
  confirmed_at: string | null;
  updated_at: string;
  consent_form: string;
  consent_requested_at: string;
  consent_confirmed_at: string | null;
  consent_ip: string | null;
  bounces: number;
}

const COLUMNS = 'email, min_severity, versions, state, created_at, confirmed_at, updated_at, consent_form, consent_requested_at, consent_confirmed_at, consent_ip, bounces';

const toSubscriber = (r: Row): Subscriber => ({
  email: r.email,
  minSeverity: r.min_severity,
  versions: r.versions,
  state: r.state,
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
  consent: { form: r.consent_form, requestedAt: r.consent_requested_at, confirmedAt: r.consent_confirmed_at, ...(r.consent_ip ? { ip: r.consent_ip } : {}) },
  bounces: Number(r.bounces),
  updatedAt: r.updated_at,
});

/** The store's key: lower case, as the CSV reader and the unsubscribe token have always used. */
export function key(email: string): string {
  const parsed = Email.safeParse(email);
  if (!parsed.success) throw new AdvisoriesError('USAGE', 'not a valid e-mail address: one address, no display name, spaces or control characters, at most 254 characters');
  return parsed.data;
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/** States an unsubscribe takes an address out of (the others have left already). */
const ON_THE_LIST = "state IN ('pending', 'active', 'bounced')";

/** Addresses that left stay off: an import never puts back someone who unsubscribed, bounced or complained. */
const LEFT: readonly SubscriberState[] = ['unsubscribed', 'bounced', 'complained'];

export class Subscribers {
  /** PostgreSQL: the service's changes, grouped (grouped.ts). */
  private readonly grouped;

  constructor(
    private readonly sql: Sql,
    private readonly bounceLimit: number,
  ) {
    this.grouped = sql.dialect === 'postgres' ? groupedWrites(sql, COLUMNS, ON_THE_LIST) : undefined;
  }

  async requestSubscription(r: { email: string; minSeverity: Severity | null; versions: string | null; form: string; ip?: string; at: Date; confirmationsPerDay?: number }) {
    const email = key(r.email);
    const at = r.at.toISOString();
    const cap = r.confirmationsPerDay ?? 0;
    if (this.grouped) return this.grouped.subscribe({ email, minSeverity: r.minSeverity, versions: r.versions, form: r.form, ip: r.ip ?? null, at, day: day(r.at), cap });
    return this.sql.tx(async (tx) => {
      const created = await tx.run(
        `INSERT INTO subscribers (${COLUMNS}) VALUES ($1, $2, $3, 'pending', $4, NULL, $4, $5, $4, NULL, $6, 0) ON CONFLICT (email) DO NOTHING`,
        [email, r.minSeverity, r.versions, at, r.form, r.ip ?? null],
      );
      let outcome: 'created' | 'pending-again' | 'already-active' = 'created';
      if (created === 0) {
        const row = await first(tx.all<{ state: SubscriberState }>(`SELECT state FROM subscribers WHERE email = $1${tx.forUpdate}`, [email]));
        if (row?.state === 'active') outcome = 'already-active';
        else {
          // Asking again starts a new consent: the filters and the form are this request's, confirmed by the next click
          // (grouped.ts makes the same change on PostgreSQL).
          await tx.run(
            `UPDATE subscribers SET state = 'pending', min_severity = $2, versions = $3, consent_form = $4, consent_requested_at = $5, consent_confirmed_at = NULL, consent_ip = $6, updated_at = $5 WHERE email = $1`,
            [email, r.minSeverity, r.versions, r.form, at, r.ip ?? null],
          );
          outcome = 'pending-again';
        }
      }
      // Counted unless the cap is reached: one row changed when the mail may go.
      const counted = 'INSERT INTO confirmation_mails (email, day, sent) VALUES ($1, $2, 1) ON CONFLICT (email, day) DO UPDATE SET sent = confirmation_mails.sent + 1 WHERE confirmation_mails.sent < $3';
      const mail = outcome !== 'already-active' && cap > 0 && (await tx.run(counted, [email, day(r.at), cap])) > 0;
      return { outcome, mail };
    });
  }

  async confirm(email: string, at: Date, issued?: Date): Promise<'confirmed' | 'already-active' | 'unknown'> {
    const e = key(email);
    const iso = at.toISOString();
    // A token names its request's time in whole seconds: it confirms only a request made before the next
    // second, so a token from before the latest request activates nothing.
    const before = issued && new Date((Math.floor(issued.getTime() / 1000) + 1) * 1000).toISOString();
    if (this.grouped) return this.grouped.confirm({ email: e, at: iso, before: before ?? null });
    // A confirmed address starts with a clean bounce count: its owner just proved it receives mail.
    const { changed } = await this.sql.write(
      `UPDATE subscribers SET state = 'active', confirmed_at = $2, consent_confirmed_at = $2, bounces = 0, updated_at = $2 WHERE email = $1 AND state = 'pending'${before ? ' AND consent_requested_at < $3' : ''}`,
      before ? [e, iso, before] : [e, iso],
    );
    if (changed > 0) return 'confirmed';
    const row = await first(this.sql.all<{ state: SubscriberState }>('SELECT state FROM subscribers WHERE email = $1', [e]));
    return row?.state === 'active' ? 'already-active' : 'unknown';
  }

  async unsubscribe(email: string, at: Date, via: UnsubscribeVia): Promise<boolean> {
    const e = key(email);
    const iso = at.toISOString();
    if (this.grouped) return this.grouped.unsubscribe({ email: e, at: iso, via });
    return this.sql.tx(async (tx) => {
      const n = await tx.run(`UPDATE subscribers SET state = 'unsubscribed', left_via = $3, updated_at = $2 WHERE email = $1 AND ${ON_THE_LIST}`, [e, iso, via]);
      // An address the store does not know (it may be on a CSV list that SUBSCRIBERS still mails) is
      // remembered as unsubscribed all the same, so no later run, or import, mails it again.
      if (n === 0) {
        await tx.run(`INSERT INTO subscribers (${COLUMNS}, left_via) VALUES ($1, NULL, NULL, 'unsubscribed', $2, NULL, $2, 'none', $2, NULL, NULL, 0, $3) ON CONFLICT (email) DO NOTHING`, [e, iso, via]);
      }
      return n > 0;
    });
  }

  /** The states of these addresses, for those the store knows. */
  async statesOf(emails: readonly string[]): Promise<Map<string, SubscriberState>> {
    const out = new Map<string, SubscriberState>();
    for (let i = 0; i < emails.length; i += 200) {
      const chunk = emails.slice(i, i + 200);
      const rows = await this.sql.all<{ email: string; state: SubscriberState }>(`SELECT email, state FROM subscribers WHERE email IN (${placeholders(chunk.length, 1)})`, chunk);
      for (const r of rows) out.set(r.email, r.state);
    }
    return out;
  }

  async get(email: string): Promise<Subscriber | undefined> {
    const row = await first(this.sql.all<Row>(`SELECT ${COLUMNS} FROM subscribers WHERE email = $1`, [key(email)]));
    return row && toSubscriber(row);
  }

  async setPreferences(email: string, p: { minSeverity: Severity | null; versions: string | null }, at: Date): Promise<boolean> {
    const n = await this.sql.tx((tx) => tx.run(`UPDATE subscribers SET min_severity = $2, versions = $3, updated_at = $4 WHERE email = $1 AND state IN ('pending', 'active')`, [key(email), p.minSeverity, p.versions, at.toISOString()]));
    return n > 0;
  }

  async noteBounce(email: string, kind: BounceKind, at: Date, detail: string): Promise<SubscriberState | undefined> {
    const e = key(email);
    const iso = at.toISOString();
    return this.sql.tx(async (tx) => {
      const row = await first(tx.all<{ state: SubscriberState; bounces: number }>(`SELECT state, bounces FROM subscribers WHERE email = $1${tx.forUpdate}`, [e]));
      if (!row) return undefined;
      await tx.run('INSERT INTO bounce_events (email, kind, at, detail) VALUES ($1, $2, $3, $4)', [e, kind, iso, detail.slice(0, 500)]);
      const bounces = Number(row.bounces) + 1;
      let state = row.state;
      if (kind === 'complaint') state = 'complained';
      else if (bounces >= this.bounceLimit && (state === 'active' || state === 'pending')) state = 'bounced';
      await tx.run('UPDATE subscribers SET bounces = $2, state = $3, updated_at = $4 WHERE email = $1', [e, bounces, state, iso]);
      return state;
    });
  }

  async counts(): Promise<StateCounts> {
    const counts = Object.fromEntries(SUBSCRIBER_STATES.map((s) => [s, 0])) as StateCounts;
    for (const r of await this.sql.all<{ state: SubscriberState; n: number | string }>('SELECT state, count(*) AS n FROM subscribers GROUP BY state')) counts[r.state] = Number(r.n);
    return counts;
  }

  async importActive(rows: AsyncIterable<{ email: string; minSeverity: Severity | null; versions: string | null }>, at: Date) {
    const result = { added: 0, updated: 0, unchanged: 0, left: 0 };
    const iso = at.toISOString();
    let batch: { email: string; minSeverity: Severity | null; versions: string | null }[] = [];
    const flush = async () => {
      const rowsNow = batch;
      batch = [];
      await this.sql.tx(async (tx) => {
        for (const r of rowsNow) {
          const email = key(r.email);
          const had = await first(tx.all<{ state: SubscriberState; min_severity: string | null; versions: string | null }>(`SELECT state, min_severity, versions FROM subscribers WHERE email = $1${tx.forUpdate}`, [email]));
          if (!had) {
            await tx.run(`INSERT INTO subscribers (${COLUMNS}) VALUES ($1, $2, $3, 'active', $4, $4, $4, 'import', $4, $4, NULL, 0)`, [email, r.minSeverity, r.versions, iso]);
            result.added++;
          } else if (LEFT.includes(had.state)) {
            result.left++;
          } else if (had.state === 'active' && had.min_severity === r.minSeverity && had.versions === r.versions) {
            result.unchanged++;
          } else {
            await tx.run(`UPDATE subscribers SET state = 'active', min_severity = $2, versions = $3, confirmed_at = COALESCE(confirmed_at, $4), updated_at = $4 WHERE email = $1`, [email, r.minSeverity, r.versions, iso]);
            result.updated++;
          }
        }
      });
    };
    for await (const r of rows) {
      batch.push(r);
      if (batch.length >= 500) await flush();
    }
    await flush();
    return result;
  }

  /** Streamed by address in pages, so a list of any size uses flat memory and the order is stable. */
  async *stream(states: readonly SubscriberState[]): AsyncGenerator<Subscriber> {
    let after = '';
    const filter = states.map((_, i) => `$${i + 2}`).join(', ');
    for (;;) {
      const page = await this.sql.all<Row>(`SELECT ${COLUMNS} FROM subscribers WHERE email > $1 AND state IN (${filter}) ORDER BY email LIMIT 500`, [after, ...states]);
      for (const r of page) yield toSubscriber(r);
      if (page.length < 500) return;
      after = page.at(-1)!.email;
    }
  }
}
