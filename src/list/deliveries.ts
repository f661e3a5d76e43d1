// The mail ledger's rows, written once for both backends; who may send a pair (claims) is the backend's.
import { DELIVERY_STATES, type DeliveryKey, type DeliveryRow, type DeliveryState, type Outcome } from './schema.ts';
import type { Channel, LedgerStore } from './store.ts';
import { first, placeholders, type Sql } from './sql.ts';

export type PairKey = Pick<DeliveryKey, 'revision' | 'subscriber'>;

/** Who may send a pair now: one process at a time, and a dead process holds nothing. */
export interface Claims {
  take(channel: Channel, key: PairKey, wait: boolean): Promise<boolean>;
  release(channel: Channel, key: PairKey): Promise<void>;
}

const CHUNK = 200;

export class Deliveries implements LedgerStore {
  constructor(
    readonly channel: Channel,
    private readonly sql: Sql,
    private readonly claims: Claims,
    /**
     * Dates each row's last change (updated_at): the run's own clock, so that `--now` also moves the quota
     * windows of `sentSince`. created_at, which orders a subscriber's history, stays the real time.
     */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async exists() {
    return (await this.sql.all('SELECT 1 AS one FROM ledgers WHERE channel = $1', [this.channel])).length > 0;
  }

  async create(at: Date) {
    await this.sql.run('INSERT INTO ledgers (channel, started_at) VALUES ($1, $2) ON CONFLICT (channel) DO NOTHING', [this.channel, at.toISOString()]);
  }

  async histories(advisories: readonly string[], subscribers: readonly string[]) {
    const out = new Map<string, DeliveryRow[]>();
    if (advisories.length === 0) return out;
    for (let i = 0; i < subscribers.length; i += CHUNK) {
      const subs = subscribers.slice(i, i + CHUNK);
      const rows = await this.sql.all<DeliveryRow & { advisory: string; subscriber: string }>(
        `SELECT advisory, subscriber, revision, state, message_id FROM deliveries WHERE channel = $1 AND subscriber IN (${placeholders(subs.length, 2)}) AND advisory IN (${placeholders(advisories.length, 2 + subs.length)}) ORDER BY created_at, revision`,
        [this.channel, ...subs, ...advisories],
      );
      for (const r of rows) {
        const k = `${r.advisory}\0${r.subscriber}`;
        const list = out.get(k) ?? [];
        list.push({ revision: r.revision, state: r.state, message_id: r.message_id });
        out.set(k, list);
      }
    }
    return out;
  }

  async unmailed(advisories: readonly string[]) {
    const mailed = new Set<string>();
    for (const a of advisories) {
      if ((await this.sql.all('SELECT 1 AS one FROM deliveries WHERE channel = $1 AND advisory = $2 LIMIT 1', [this.channel, a])).length > 0) mailed.add(a);
    }
    return new Set(advisories.filter((a) => !mailed.has(a)));
  }

  async rememberRevision(revision: string, advisory: string, material: unknown, at: Date) {
    await this.sql.run('INSERT INTO revisions (revision, advisory, material, first_seen) VALUES ($1, $2, $3, $4) ON CONFLICT (revision) DO NOTHING', [revision, advisory, JSON.stringify(material), at.toISOString()]);
  }

  async material<T>(revision: string): Promise<T | undefined> {
    const row = await first(this.sql.all<{ material: string }>('SELECT material FROM revisions WHERE revision = $1', [revision]));
    return row ? (JSON.parse(row.material) as T) : undefined;
  }

  async claim(key: PairKey, wait: boolean) {
    if (!(await this.claims.take(this.channel, key, wait))) return { taken: false as const };
    try {
      const row = await first(this.sql.all<DeliveryRow>('SELECT revision, state, message_id FROM deliveries WHERE channel = $1 AND revision = $2 AND subscriber = $3', [this.channel, key.revision, key.subscriber]));
      return { taken: true as const, row };
    } catch (error) {
      await this.claims.release(this.channel, key);
      throw error;
    }
  }

  release(key: PairKey) {
    return this.claims.release(this.channel, key);
  }

  beginTransmission(o: DeliveryKey) {
    return this.record({ ...o, state: 'unknown', reply: 'in flight: no reply recorded' });
  }

  async record(o: Outcome) {
    const at = this.clock().toISOString();
    await this.sql.run(
      `INSERT INTO deliveries (channel, advisory, revision, subscriber, state, message_id, reply, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $8)
       ON CONFLICT (channel, revision, subscriber) DO UPDATE SET state = excluded.state, reply = excluded.reply, updated_at = excluded.updated_at`,
      [this.channel, o.advisory, o.revision, o.subscriber, o.state, o.messageId, o.reply.slice(0, 500), at, new Date().toISOString()],
    );
  }

  async sentSince(at: Date) {
    const row = await first(this.sql.all<{ n: number | string }>(`SELECT count(*) AS n FROM deliveries WHERE channel = $1 AND state IN ('sent', 'unknown') AND updated_at >= $2`, [this.channel, at.toISOString()]));
    return Number(row?.n ?? 0);
  }

  async countByState() {
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of await this.sql.all<{ state: DeliveryState; n: number | string }>('SELECT state, count(*) AS n FROM deliveries WHERE channel = $1 GROUP BY state', [this.channel])) counts[r.state] = Number(r.n);
    return counts;
  }
}
