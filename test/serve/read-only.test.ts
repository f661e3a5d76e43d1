// A PostgreSQL database that turns read-only under the running service: every change is answered 503 with a
// message, nothing is half-written, and an unsubscribe is never answered 2xx unless it was recorded.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { unsubscribeToken } from '../../src/render/mail.ts';
import { PG_USER } from '../helpers/database.ts';
import { form, json, startTestService, type TestService } from '../helpers/service.ts';
import { SECRET } from '../helpers/smtp.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService('postgres');
});
afterAll(async () => {
  await svc?.close();
});

it('answers 503 and changes nothing while the database is read-only, and works again after', async () => {
  await svc.store.requestSubscription({ email: 'fay@example.com', minSeverity: null, versions: null, form: 'site', at: new Date() });
  await svc.store.confirm('fay@example.com', new Date());
  const name = new URL(svc.db.databaseUrl!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: `postgres://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/test` });
  await admin.connect();
  const readOnly = async (on: boolean) => {
    await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
    // Settings apply to new sessions: end the service's current ones (its pool reconnects).
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  };
  try {
    await readOnly(true);
    const url = svc.config.mail!.unsubscribeUrl.replace('{token}', unsubscribeToken(SECRET, 'fay@example.com'));
    // More tries than the pool has connections: past the ended ones, the database itself refuses.
    for (let i = 0; i < 6; i++) {
      const r = await fetch(url, form({ 'List-Unsubscribe': 'One-Click' }));
      expect(r.status).toBe(503);
      expect(await r.text()).toMatch(/nothing was changed/);
    }
    expect((await fetch(new URL('subscribe', svc.url), json({ email: 'gus@example.com' }))).status).toBe(503);
    // 25006: read_only_sql_transaction.
    expect(svc.log.join('\n')).toMatch(/store error during unsubscribe: 25006/);
    await readOnly(false);
    // Each pooled connection the server ended fails once when next used; the pool then replaces it.
    let fay;
    for (let i = 0; i < 8 && fay === undefined; i++) fay = await svc.store.get('fay@example.com').catch(() => undefined);
    expect(fay?.state).toBe('active');
    expect(await svc.store.get('gus@example.com')).toBeUndefined();
    let again = 0;
    for (let i = 0; i < 8 && again !== 200; i++) {
      again = (await fetch(url, form({ 'List-Unsubscribe': 'One-Click' }))).status;
      expect([200, 503]).toContain(again);
    }
    expect(again).toBe(200);
    expect((await svc.store.get('fay@example.com'))?.state).toBe('unsubscribed');
  } finally {
    await admin.end();
  }
});
