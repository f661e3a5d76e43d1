// What a hostile or broken client gets: a clear 4xx or 5xx, never a stack trace, nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../src/render/mail.ts';
import { form, json, startTestService, WEBHOOK_SECRET, type TestService } from '../helpers/service.ts';
import { SECRET } from '../helpers/smtp.ts';

const noStack = (text: string) => expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);

describe('advisories serve refuses bad input', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('sqlite', { siteUrl: 'https://security.scalebox.dev/' });
  });
  afterAll(async () => {
    await svc?.close();
  });
  const at = (path: string) => new URL(path, svc.url).href;

  it.each([
    ['CR/LF in the address', { email: 'a@example.com\r\nBcc: b@example.com' }, /line break or control character/],
    ['NUL in the address', { email: 'a\u0000@example.com' }, /control character/],
    ['two addresses', { email: 'a@example.com, b@example.com' }, /not a valid e-mail address/],
    ['an oversized address', { email: `${'a'.repeat(250)}@example.com` }, /too long/],
    ['no address', {}, /Give the e-mail address/],
    ['an unknown severity', { email: 'a@example.com', minSeverity: 'urgent' }, /critical, high, medium or low/],
    ['a bad version range', { email: 'a@example.com', versions: '>>1' }, /not a version range/],
    ['a NUL in the versions', { email: 'a@example.com', versions: '1.x\u0000' }, /control character/],
  ])('400 for %s, and nothing stored', async (_name, fields, message) => {
    for (const init of [form(fields as Record<string, string>), json(fields)]) {
      const r = await fetch(at('subscribe'), init);
      expect(r.status).toBe(400);
      const text = await r.text();
      expect(text).toMatch(message);
      noStack(text);
    }
    expect(await svc.store.counts()).toMatchObject({ pending: 0, active: 0 });
  });

  it('415 for content types other than form-encoded and JSON (text/plain too: a cross-site form could send it)', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const r = await fetch(at('subscribe'), { method: 'POST', headers: { 'content-type': type }, body: 'email=a@example.com' });
      expect(r.status).toBe(415);
      noStack(await r.text());
    }
  });

  it('413 for an oversized body, 400 for malformed JSON', async () => {
    const big = await fetch(at('subscribe'), form({ email: 'a@example.com', versions: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    const broken = await fetch(at('subscribe'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(broken.status).toBe(400);
    noStack(await broken.text());
  });

  it('403 for a form posted from another site; CORS allows exactly the site origin', async () => {
    const cross = await fetch(at('subscribe'), { ...form({ email: 'a@example.com' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    const fromSite = await fetch(at('subscribe'), { ...json({ email: 'site@example.com' }), headers: { 'content-type': 'application/json', origin: 'https://security.scalebox.dev' } });
    expect(fromSite.status).toBe(202);
    expect(fromSite.headers.get('access-control-allow-origin')).toBe('https://security.scalebox.dev');
    const preflight = await fetch(at('subscribe'), { method: 'OPTIONS', headers: { origin: 'https://security.scalebox.dev', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://security.scalebox.dev');
    const evil = await fetch(at('subscribe'), { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('sends security headers on every answer', async () => {
    const r = await fetch(at('confirm?token=x'));
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('same-origin');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('the webhook needs its secret, and maps a generic bounce and a Postmark complaint', async () => {
    await svc.store.requestSubscription({ email: 'ed@example.com', minSeverity: null, versions: null, form: 'site', at: new Date() });
    await svc.store.confirm('ed@example.com', new Date());
    const none = await fetch(at('webhooks/bounces'), json({ type: 'complaint', email: 'ed@example.com' }));
    expect(none.status).toBe(403);
    const wrong = await fetch(at('webhooks/bounces'), { ...json({ type: 'complaint', email: 'ed@example.com' }), headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-secret-wrong-secret' } });
    expect(wrong.status).toBe(403);
    expect((await svc.store.get('ed@example.com'))?.state).toBe('active');
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_SECRET}` };
    const shape = await fetch(at('webhooks/bounces'), { method: 'POST', headers: auth, body: JSON.stringify({ type: 'bounce', email: 'ed@example.com', extra: 1 }) });
    expect(shape.status).toBe(400);
    const bounce = await fetch(at('webhooks/bounces'), { method: 'POST', headers: auth, body: JSON.stringify({ notices: [{ type: 'bounce', email: 'ed@example.com', detail: '550 5.1.1 no such user' }] }) });
    expect(bounce.status).toBe(200);
    expect((await svc.store.get('ed@example.com'))?.bounces).toBe(1);
    const basic = `Basic ${Buffer.from(`postmark:${WEBHOOK_SECRET}`).toString('base64')}`;
    const soft = await fetch(at('webhooks/postmark'), { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic }, body: JSON.stringify({ RecordType: 'Bounce', Type: 'SoftBounce', Email: 'ed@example.com' }) });
    expect(await soft.json()).toMatchObject({ status: 'ignored' });
    const complaint = await fetch(at('webhooks/postmark'), { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic }, body: JSON.stringify({ RecordType: 'SpamComplaint', Email: 'ed@example.com', ID: 42 }) });
    expect(complaint.status).toBe(200);
    expect((await svc.store.get('ed@example.com'))?.state).toBe('complained');
  });

  it('with the store down: 503 and a message, never a 2xx for an unsubscribe it could not record', async () => {
    const token = unsubscribeToken(SECRET, 'ana@example.com');
    await svc.store.close();
    const unsubscribe = await fetch(svc.config.mail!.unsubscribeUrl.replace('{token}', token), form({ 'List-Unsubscribe': 'One-Click' }));
    expect(unsubscribe.status).toBe(503);
    const text = await unsubscribe.text();
    expect(text).toMatch(/cannot be reached right now; nothing was changed/);
    noStack(text);
    const subscribe = await fetch(at('subscribe'), json({ email: 'late@example.com' }));
    expect(subscribe.status).toBe(503);
    expect(svc.log.join('\n')).toMatch(/store error during unsubscribe/);
  });
});
