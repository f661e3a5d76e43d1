// A ListStore from a backend's pieces: its Sql, its claims and how to close it.
import { Deliveries, type Claims } from './deliveries.ts';
import type { Channel, ListStore } from './store.ts';
import type { Sql } from './sql.ts';
import { Subscribers } from './subscribers.ts';

export function makeStore(o: { kind: ListStore['kind']; describe: string; sql: Sql; claims: Claims; bounceLimit: number; close: () => Promise<void> }): ListStore {
  const subs = new Subscribers(o.sql, o.bounceLimit);
  return {
    kind: o.kind,
    describe: o.describe,
    requestSubscription: (r) => subs.requestSubscription(r),
    confirm: (email, at, issued) => subs.confirm(email, at, issued),
    unsubscribe: (email, at, via) => subs.unsubscribe(email, at, via),
    get: (email) => subs.get(email),
    setPreferences: (email, p, at) => subs.setPreferences(email, p, at),
    noteBounce: (email, kind, at, detail) => subs.noteBounce(email, kind, at, detail),
    counts: () => subs.counts(),
    statesOf: (emails) => subs.statesOf(emails),
    importActive: (rows, at) => subs.importActive(rows, at),
    active: () => subs.stream(['active']),
    all: () => subs.stream(['pending', 'active', 'unsubscribed', 'bounced', 'complained']),
    async ledger(channel: Channel = 'smtp', clock?: () => Date) {
      return new Deliveries(channel, o.sql, o.claims, clock);
    },
    close: o.close,
  };
}
