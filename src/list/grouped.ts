// PostgreSQL's form of the service's three changes (subscribe, confirm, unsubscribe): the requests of one
// kind that arrive together go as one statement over arrays of rows (batch.ts), one round trip and one
// commit for all of them. `xmax = 0` tells a row an upsert inserted from one it updated. subscribers.ts
// makes the same changes on SQLite as a transaction per request; test/list runs both.
import type { Severity } from '../core/schema.ts';
import { batcher } from './batch.ts';
import type { SubscriberState, UnsubscribeVia } from './schema.ts';
import type { Sql } from './sql.ts';

export type SubscribeRow = { email: string; minSeverity: Severity | null; versions: string | null; form: string; ip: string | null; at: string; day: string; cap: number };
export type SubscribeResult = { outcome: 'created' | 'pending-again' | 'already-active'; mail: boolean };
export type ConfirmResult = 'confirmed' | 'already-active' | 'unknown';

/** At most this many rows per statement, and this many statements at once per kind (three kinds, within the pool). */
const BATCH = { max: 100, parallel: 4, key: (r: { email: string }) => r.email } as const;

const column = <T, K extends keyof T>(rows: readonly T[], k: K) => rows.map((r) => r[k]);

/** `columns`: the subscribers table's columns as subscribers.ts lists them; `onTheList`: the states an unsubscribe removes. */
export function groupedWrites(sql: Sql, columns: string, onTheList: string) {
  // Upserts the requests and counts their mails under cap $8 (0: counts none); `created` is null for an
  // active address. Asking again starts a new consent, as in subscribers.ts.
  const SUBSCRIBE = `WITH input AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS i(email, min_severity, versions, at, form, ip, day)),
    asked AS (
      INSERT INTO subscribers (${columns}) SELECT email, min_severity, versions, 'pending', at, NULL, at, form, at, NULL, ip, 0 FROM input
      ON CONFLICT (email) DO UPDATE SET state = 'pending', min_severity = excluded.min_severity, versions = excluded.versions, consent_form = excluded.consent_form,
        consent_requested_at = excluded.consent_requested_at, consent_confirmed_at = NULL, consent_ip = excluded.consent_ip, updated_at = excluded.updated_at
      WHERE subscribers.state <> 'active'
      RETURNING email, xmax = 0 AS created),
    counted AS (
      INSERT INTO confirmation_mails (email, day, sent) SELECT input.email, input.day, 1 FROM asked JOIN input USING (email) WHERE $8::integer > 0
      ON CONFLICT (email, day) DO UPDATE SET sent = confirmation_mails.sent + 1 WHERE confirmation_mails.sent < $8::integer
      RETURNING email)
    SELECT input.email, asked.created, counted.email IS NOT NULL AS mail FROM input LEFT JOIN asked USING (email) LEFT JOIN counted USING (email)`;
  // Confirms the pending requests made before `before` (null: any); returns the addresses confirmed.
  const CONFIRM = `UPDATE subscribers SET state = 'active', confirmed_at = i.at, consent_confirmed_at = i.at, bounces = 0, updated_at = i.at
    FROM unnest($1::text[], $2::text[], $3::text[]) AS i(email, at, before)
    WHERE subscribers.email = i.email AND subscribers.state = 'pending' AND (i.before IS NULL OR subscribers.consent_requested_at < i.before)
    RETURNING subscribers.email`;
  // `was`: the address was on the list; an unknown one is remembered as unsubscribed.
  const UNSUBSCRIBE = `INSERT INTO subscribers (${columns}, left_via) SELECT email, NULL, NULL, 'unsubscribed', at, NULL, at, 'none', at, NULL, NULL, 0, via
      FROM unnest($1::text[], $2::text[], $3::text[]) AS i(email, at, via)
    ON CONFLICT (email) DO UPDATE SET state = 'unsubscribed', left_via = excluded.left_via, updated_at = excluded.updated_at WHERE subscribers.${onTheList}
    RETURNING email, xmax <> 0 AS was`;

  return {
    subscribe: batcher<SubscribeRow, SubscribeResult>({
      ...BATCH,
      run: async (rows) => {
        // The cap is one number per statement; a service has one, so this splits only in tests.
        const out = new Map<string, SubscribeResult>();
        for (const cap of new Set(column(rows, 'cap'))) {
          const these = rows.filter((r) => r.cap === cap);
          const params = [...(['email', 'minSeverity', 'versions', 'at', 'form', 'ip', 'day'] as const).map((k) => column(these, k)), cap];
          for (const g of (await sql.write<{ email: string; created: boolean | null; mail: boolean }>(SUBSCRIBE, params)).rows) {
            out.set(g.email, { outcome: g.created === null ? 'already-active' : g.created ? 'created' : 'pending-again', mail: g.mail });
          }
        }
        return rows.map((r) => out.get(r.email)!);
      },
    }),
    confirm: batcher<{ email: string; at: string; before: string | null }, ConfirmResult>({
      ...BATCH,
      run: async (rows) => {
        const done = (await sql.write<{ email: string }>(CONFIRM, [column(rows, 'email'), column(rows, 'at'), column(rows, 'before')])).rows;
        const confirmed = new Set(done.map((d) => d.email));
        const others = rows.filter((r) => !confirmed.has(r.email)).map((r) => r.email);
        const states = new Map<string, SubscriberState>();
        if (others.length) for (const s of await sql.all<{ email: string; state: SubscriberState }>('SELECT email, state FROM subscribers WHERE email = ANY($1::text[])', [others])) states.set(s.email, s.state);
        return rows.map((r) => (confirmed.has(r.email) ? 'confirmed' : states.get(r.email) === 'active' ? 'already-active' : 'unknown'));
      },
    }),
    unsubscribe: batcher<{ email: string; at: string; via: UnsubscribeVia }, boolean>({
      ...BATCH,
      run: async (rows) => {
        const got = (await sql.write<{ email: string; was: boolean }>(UNSUBSCRIBE, [column(rows, 'email'), column(rows, 'at'), column(rows, 'via')])).rows;
        const was = new Set(got.filter((g) => g.was).map((g) => g.email));
        return rows.map((r) => was.has(r.email));
      },
    }),
  };
}
