// advisories serve over real HTTP, on both stores: double opt-in, confirm, one-click unsubscribe,
// preferences, the daily cap, and the same answer whether or not an address is known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../src/render/mail.ts';
import { confirmationToken } from '../../src/serve/tokens.ts';
import { BACKENDS } from '../helpers/database.ts';
import { form, json, mailsArrived, startTestService, type TestService } from '../helpers/service.ts';
import { SECRET } from '../helpers/smtp.ts';

describe.each(BACKENDS)('advisories serve on %s', (kind) => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(kind);
  });
  afterAll(async () => {
    await svc?.close();
  });
  const at = (path: string) => new URL(path, svc.url).href;

  it('subscribes with double opt-in: a mailed link, a GET that only shows a button, a POST that activates', async () => {
    const r = await fetch(at('subscribe'), form({ email: 'Ana@Example.com', minSeverity: 'high', versions: '>=1.0.0' }));
    expect(r.status).toBe(202);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await r.text()).toContain('Check your inbox');
    await mailsArrived(svc.smtp, 1);
    const [link] = await svc.confirmLinks('ana@example.com');
    expect(link).toMatch(/\/confirm\?token=/);
    const pending = await svc.store.get('ana@example.com');
    expect(pending).toMatchObject({ state: 'pending', minSeverity: 'high', versions: '>=1.0.0', consent: { form: 'site', ip: '127.0.0.x', confirmedAt: null } });

    // Link scanners fetch every link: a GET changes nothing.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<form method="post" action="">.*<button type="submit">Confirm my subscription<\/button>/s);
    expect((await svc.store.get('ana@example.com'))?.state).toBe('pending');

    const token = new URL(link!).searchParams.get('token')!;
    const done = await fetch(link!, form({ token }));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You are subscribed');
    const active = await svc.store.get('ana@example.com');
    expect(active?.state).toBe('active');
    expect(active?.consent.confirmedAt).not.toBeNull();

    // Replayed: nothing changes, and the answer says so.
    const again = await fetch(at('confirm'), json({ token }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'already-active' });
  });

  it('answers the same whether or not the address is known, and sends nothing to an active one', async () => {
    const before = svc.smtp.raw.length;
    const known = await fetch(at('subscribe'), json({ email: 'ana@example.com' }));
    const unknown = await fetch(at('subscribe'), json({ email: 'someone-new@example.com' }));
    expect(known.status).toBe(unknown.status);
    expect(await known.json()).toEqual(await unknown.json());
    await mailsArrived(svc.smtp, before + 1);
    expect(await svc.confirmLinks('someone-new@example.com')).toHaveLength(1);
    expect(await svc.confirmLinks('ana@example.com')).toHaveLength(1);
    expect((await svc.store.get('someone-new@example.com'))?.consent.form).toBe('api');
  });

  it('mails one address at most confirmationsPerDay confirmation links a day, whoever asks', async () => {
    const before = svc.smtp.raw.length;
    for (let i = 0; i < 6; i++) expect((await fetch(at('subscribe'), json({ email: 'victim@example.org' }))).status).toBe(202);
    await mailsArrived(svc.smtp, before + svc.config.service!.confirmationsPerDay);
    expect(await svc.confirmLinks('victim@example.org')).toHaveLength(svc.config.service!.confirmationsPerDay);
  });

  it('refuses expired, forged, truncated and stale confirmation tokens with a clear 4xx', async () => {
    const old = confirmationToken(SECRET, 'late@example.com', new Date(Date.now() - 49 * 3600_000));
    const expired = await fetch(at('confirm'), json({ token: old }));
    expect(expired.status).toBe(410);
    expect((await expired.json()).message).toMatch(/expired/);
    const good = confirmationToken(SECRET, 'late@example.com', new Date());
    for (const token of [good.slice(0, -3), good.replace(/^[^.]+/, Buffer.from('other@example.com').toString('base64url')), `${good}x`, 'nonsense', '']) {
      const r = await fetch(at('confirm'), json({ token }));
      expect(r.status).toBe(400);
      expect(await r.text()).not.toMatch(/at .*\.ts:\d+/);
    }
    // Genuine but for an address that never asked (or left since): activates nothing.
    const stale = await fetch(at('confirm'), json({ token: good }));
    expect(stale.status).toBe(410);
    expect(await svc.store.get('late@example.com')).toBeUndefined();
  });

  it('unsubscribes at once on the RFC 8058 one-click POST (form-encoded or multipart), 200 and no redirect', async () => {
    await svc.store.requestSubscription({ email: 'bo@example.com', minSeverity: null, versions: null, form: 'site', at: new Date() });
    await svc.store.confirm('bo@example.com', new Date());
    const url = svc.config.mail!.unsubscribeUrl.replace('{token}', unsubscribeToken(SECRET, 'Bo@Example.com'));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<button type="submit">Unsubscribe</button>');
    expect(html).toMatch(/href="[^"]*\/preferences\?token=/);
    expect((await svc.store.get('bo@example.com'))?.state).toBe('active');

    const r = await fetch(url, { ...form({ 'List-Unsubscribe': 'One-Click' }), redirect: 'manual' });
    expect(r.status).toBe(200);
    expect(r.headers.get('location')).toBeNull();
    expect((await svc.store.get('bo@example.com'))?.state).toBe('unsubscribed');

    await svc.store.requestSubscription({ email: 'cy@example.com', minSeverity: null, versions: null, form: 'site', at: new Date() });
    await svc.store.confirm('cy@example.com', new Date());
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    const m = await fetch(svc.config.mail!.unsubscribeUrl.replace('{token}', unsubscribeToken(SECRET, 'cy@example.com')), { method: 'POST', body: multipart, redirect: 'manual' });
    expect(m.status).toBe(200);
    expect((await svc.store.get('cy@example.com'))?.state).toBe('unsubscribed');

    // An address that is not on the list: still a clear 2xx, and a forged token a 400.
    const nobody = await fetch(svc.config.mail!.unsubscribeUrl.replace('{token}', unsubscribeToken(SECRET, 'nobody@example.com')), form({ 'List-Unsubscribe': 'One-Click' }));
    expect(nobody.status).toBe(200);
    expect(await nobody.text()).toMatch(/not on the list/);
    const forged = await fetch(url.replace(/.{4}$/, 'AAAA'), form({ 'List-Unsubscribe': 'One-Click' }));
    expect(forged.status).toBe(400);
  });

  it('lets a subscriber change the filters or leave from the preferences page', async () => {
    await svc.store.requestSubscription({ email: 'di@example.com', minSeverity: null, versions: null, form: 'site', at: new Date() });
    await svc.store.confirm('di@example.com', new Date());
    const token = unsubscribeToken(SECRET, 'di@example.com');
    const page = await fetch(at(`preferences?token=${token}`));
    expect(page.status).toBe(200);
    const preferences = await page.text();
    expect(preferences).toMatch(/<select id="minSeverity" name="minSeverity">/);
    // The versions hint in the project's notation (npm here).
    expect(preferences).toContain('A semver range such as <code>&gt;=1.2.0 &lt;1.4.2</code>');
    const saved = await fetch(at('preferences'), form({ token, action: 'save', minSeverity: 'critical', versions: '2.x' }));
    expect(saved.status).toBe(200);
    expect(await svc.store.get('di@example.com')).toMatchObject({ state: 'active', minSeverity: 'critical', versions: '2.x' });
    const bad = await fetch(at('preferences'), form({ token, action: 'save', versions: 'not a range' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/is not a version range/);
    expect((await svc.store.get('di@example.com'))?.versions).toBe('2.x');
    const left = await fetch(at('preferences'), form({ token, action: 'leave' }));
    expect(left.status).toBe(200);
    expect((await svc.store.get('di@example.com'))?.state).toBe('unsubscribed');
  });

  it('never writes a whole address into its log', () => {
    const text = svc.log.join('\n');
    expect(text).toMatch(/subscribe a\*\*\*@e\*\*\*\.com/);
    for (const address of ['ana@example.com', 'bo@example.com', 'victim@example.org', 'di@example.com']) expect(text).not.toContain(address);
    expect(text).not.toMatch(/token=/);
  });
});
