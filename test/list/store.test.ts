// The list store against both backends: the service-side operations, the notify side, import, bounces.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type ListStore } from '../../src/list/index.ts';
import { BACKENDS, createDatabase, type TestDatabase } from '../helpers/database.ts';

const AT = new Date('2026-11-25T12:00:00Z');
const LATER = new Date('2026-11-25T13:00:00Z');

async function* rows<T>(list: T[]) {
  yield* list;
}
const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe.each(BACKENDS)('list store on %s', (kind) => {
  let db: TestDatabase;
  let store: ListStore;
  beforeEach(async () => {
    db = await createDatabase(kind);
    store = await openStore({ state: db.state, databaseUrl: db.databaseUrl, bounceLimit: 2 });
  });
  afterEach(async () => {
    await store?.close();
    await db?.drop();
  });

  it('subscribes with double opt-in and records the consent', async () => {
    expect(store.kind).toBe(kind);
    const first = await store.requestSubscription({ email: 'Ana@Example.com', minSeverity: 'high', versions: '>=1.0.0', form: 'site', ip: '203.0.113.x', at: AT, confirmationsPerDay: 3 });
    expect(first).toEqual({ outcome: 'created', mail: true });
    const again = await store.requestSubscription({ email: 'ana@example.com', minSeverity: 'low', versions: null, form: 'site', at: AT, confirmationsPerDay: 3 });
    expect(again).toEqual({ outcome: 'pending-again', mail: true });
    expect(await collect(store.active())).toEqual([]);
    expect(await store.confirm('ANA@example.com', LATER)).toBe('confirmed');
    expect(await store.confirm('ana@example.com', LATER)).toBe('already-active');
    expect(await store.confirm('nobody@example.com', LATER)).toBe('unknown');
    const sub = await store.get('ana@example.com');
    expect(sub).toMatchObject({ email: 'ana@example.com', state: 'active', minSeverity: 'low', versions: null, confirmedAt: LATER.toISOString(), bounces: 0 });
    expect(sub!.consent).toEqual({ form: 'site', requestedAt: AT.toISOString(), confirmedAt: LATER.toISOString() });
    expect(await store.requestSubscription({ email: 'ana@example.com', minSeverity: null, versions: null, form: 'site', at: LATER, confirmationsPerDay: 3 })).toEqual({ outcome: 'already-active', mail: false });
  });

  it('mails an address at most confirmationsPerDay confirmations per UTC day, even when asked many times at once', async () => {
    const ask = (at: Date) => store.requestSubscription({ email: 'victim@example.com', minSeverity: null, versions: null, form: 'api', at, confirmationsPerDay: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(AT)));
    expect(answers.filter((a) => a.mail)).toHaveLength(3);
    expect(answers.filter((a) => a.outcome === 'created')).toHaveLength(1);
    expect(await ask(LATER)).toEqual({ outcome: 'pending-again', mail: false });
    expect(await ask(new Date('2026-11-26T00:00:01Z'))).toEqual({ outcome: 'pending-again', mail: true });
    // Without a cap nothing is counted (an import or a test setting an address up).
    expect(await store.requestSubscription({ email: 'quiet@example.com', minSeverity: null, versions: null, form: 'api', at: AT })).toEqual({ outcome: 'created', mail: false });
  });

  it('confirms with a token only the request it was issued for, or a later one', async () => {
    const ask = (at: Date) => store.requestSubscription({ email: 'eve@example.com', minSeverity: null, versions: null, form: 'api', at, confirmationsPerDay: 3 });
    await ask(new Date('2026-11-25T12:00:00.400Z'));
    await ask(new Date('2026-11-25T12:00:05.700Z'));
    // The first mail's token (issued in second 12:00:00) is older than the latest request.
    expect(await store.confirm('eve@example.com', LATER, new Date('2026-11-25T12:00:00Z'))).toBe('unknown');
    expect((await store.get('eve@example.com'))!.state).toBe('pending');
    // The latest mail's token names its request's second.
    expect(await store.confirm('eve@example.com', LATER, new Date('2026-11-25T12:00:05Z'))).toBe('confirmed');
    expect(await store.confirm('eve@example.com', LATER, new Date('2026-11-25T12:00:00Z'))).toBe('already-active');
    expect(await store.unsubscribe('eve@example.com', LATER, 'one-click')).toBe(true);
    expect(await store.confirm('eve@example.com', LATER, new Date('2026-11-25T12:00:05Z'))).toBe('unknown');
  });

  it('answers each of many changes at once for its own address, and a bad one fails alone', async () => {
    const emails = Array.from({ length: 60 }, (_, i) => `many${i}@example.com`);
    const ask = (email: string) => store.requestSubscription({ email, minSeverity: null, versions: null, form: 'api', at: AT, confirmationsPerDay: 3 });
    const bad = store.requestSubscription({ email: 'bad@example.com', minSeverity: 'bogus' as never, versions: null, form: 'api', at: AT, confirmationsPerDay: 3 });
    const [asked, refused] = await Promise.all([Promise.all(emails.map(ask)), bad.then(() => 'stored', () => 'refused')]);
    expect(refused).toBe('refused');
    expect(asked.every((a) => a.outcome === 'created' && a.mail)).toBe(true);
    const even = emails.filter((_, i) => i % 2 === 0);
    expect(await Promise.all(even.map((e) => store.confirm(e, LATER, AT)))).toEqual(even.map(() => 'confirmed'));
    expect(await Promise.all(emails.map((e) => store.confirm(e, LATER, new Date(AT.getTime() - 60_000))))).toEqual(emails.map((_, i) => (i % 2 === 0 ? 'already-active' : 'unknown')));
    const left = await Promise.all([...emails, 'never@example.com'].map((e) => store.unsubscribe(e, LATER, 'one-click')));
    expect(left).toEqual([...emails.map(() => true), false]);
    expect(await store.counts()).toEqual({ pending: 0, active: 0, unsubscribed: 61, bounced: 0, complained: 0 });
    expect(await store.get('bad@example.com')).toBeUndefined();
  });

  it('unsubscribes, keeps preferences, and counts by state', async () => {
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      await store.requestSubscription({ email, minSeverity: null, versions: null, form: 'api', at: AT });
    }
    await store.confirm('a@example.com', AT);
    await store.confirm('b@example.com', AT);
    expect(await store.setPreferences('a@example.com', { minSeverity: 'critical', versions: '2.x' }, LATER)).toBe(true);
    expect(await store.setPreferences('nobody@example.com', { minSeverity: null, versions: null }, LATER)).toBe(false);
    expect(await store.unsubscribe('b@example.com', LATER, 'one-click')).toBe(true);
    expect(await store.unsubscribe('b@example.com', LATER, 'one-click')).toBe(false);
    // Not on the list, but remembered: it may be on a CSV list, which must not mail it again either.
    expect(await store.unsubscribe('nobody@example.com', LATER, 'page')).toBe(false);
    expect(await store.counts()).toEqual({ pending: 1, active: 1, unsubscribed: 2, bounced: 0, complained: 0 });
    expect([...(await store.statesOf(['nobody@example.com', 'a@example.com', 'c@example.com', 'new@example.com']))].sort()).toEqual([
      ['a@example.com', 'active'],
      ['c@example.com', 'pending'],
      ['nobody@example.com', 'unsubscribed'],
    ]);
    expect((await collect(store.active())).map((s) => [s.email, s.minSeverity, s.versions])).toEqual([['a@example.com', 'critical', '2.x']]);
  });

  it('marks an address bounced at the limit and complained at once', async () => {
    await store.importActive(rows([{ email: 'x@example.com', minSeverity: null, versions: null }, { email: 'y@example.com', minSeverity: null, versions: null }]), AT);
    expect(await store.noteBounce('x@example.com', 'permanent', AT, '550 no such user')).toBe('active');
    expect(await store.noteBounce('x@example.com', 'permanent', LATER, '550 no such user')).toBe('bounced');
    expect(await store.noteBounce('y@example.com', 'complaint', AT, 'abuse report')).toBe('complained');
    expect(await store.noteBounce('nobody@example.com', 'permanent', AT, '550')).toBeUndefined();
    expect((await store.get('x@example.com'))!.bounces).toBe(2);
    expect(await store.counts()).toMatchObject({ active: 0, bounced: 2 - 1, complained: 1 });
    expect(await collect(store.active())).toEqual([]);
  });

  it('imports a list without bringing back those who left, and streams a large list in order', async () => {
    const many = Array.from({ length: 1203 }, (_, i) => ({ email: `user${String(i).padStart(5, '0')}@example.com`, minSeverity: null, versions: null }));
    expect(await store.importActive(rows(many), AT)).toEqual({ added: 1203, updated: 0, unchanged: 0, left: 0 });
    await store.unsubscribe('user00007@example.com', LATER, 'one-click');
    const again = [...many.slice(0, 10), { email: 'user00010@example.com', minSeverity: 'high' as const, versions: null }];
    expect(await store.importActive(rows(again), LATER)).toEqual({ added: 0, updated: 1, unchanged: 9, left: 1 });
    const active = await collect(store.active());
    expect(active.length).toBe(1202);
    expect(active.map((s) => s.email)).toEqual([...active.map((s) => s.email)].sort());
    expect(active.find((s) => s.email === 'user00007@example.com')).toBeUndefined();
    expect((await collect(store.all())).length).toBe(1203);
  });

  it('keeps a ledger per channel: histories, claims, quotas', async () => {
    const smtp = await store.ledger('smtp');
    const outbox = await store.ledger('outbox');
    expect(await smtp.exists()).toBe(false);
    await smtp.create(AT);
    await smtp.create(LATER);
    const key = { advisory: 'SBX-1', revision: 'r1', subscriber: 'a@example.com', messageId: '<m1@x>' };
    const claim = await smtp.claim(key, false);
    expect(claim).toEqual({ taken: true, row: undefined });
    await smtp.beginTransmission(key);
    expect((await smtp.claim({ revision: 'r2', subscriber: 'a@example.com' }, false)).taken).toBe(true);
    await smtp.record({ ...key, state: 'sent', reply: '250 ok' });
    await smtp.release(key);
    const again = await smtp.claim(key, false);
    expect(again).toEqual({ taken: true, row: { revision: 'r1', state: 'sent', message_id: '<m1@x>' } });
    await smtp.release(key);
    expect(await smtp.exists()).toBe(true);
    expect(await outbox.exists()).toBe(false);
    const h = await smtp.histories(['SBX-1', 'SBX-2'], ['a@example.com', 'b@example.com']);
    expect([...h.entries()]).toEqual([['SBX-1\0a@example.com', [{ revision: 'r1', state: 'sent', message_id: '<m1@x>' }]]]);
    expect([...(await smtp.unmailed(['SBX-1', 'SBX-2']))]).toEqual(['SBX-2']);
    expect(await smtp.sentSince(new Date(Date.now() - 60_000))).toBe(1);
    expect(await smtp.sentSince(new Date(Date.now() + 60_000))).toBe(0);
    expect(await smtp.countByState()).toEqual({ pending: 0, sent: 1, 'failed-permanent': 0, unknown: 0 });
    await smtp.rememberRevision('r1', 'SBX-1', { title: 'T' }, AT);
    await smtp.rememberRevision('r1', 'SBX-1', { title: 'other' }, LATER);
    expect(await smtp.material('r1')).toEqual({ title: 'T' });
  });

  it('migrates once: reopening applies nothing and keeps the data', async () => {
    await store.importActive(rows([{ email: 'k@example.com', minSeverity: null, versions: null }]), AT);
    await store.close();
    store = await openStore({ state: db.state, databaseUrl: db.databaseUrl });
    expect(await store.counts()).toMatchObject({ active: 1 });
  });
});
