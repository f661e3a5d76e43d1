// The two token formats exactly as docs/serve.md ("Tokens") states them, recomputed here independently.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { confirmationToken, verifyAddressToken, verifyConfirmationToken } from '../../src/serve/tokens.ts';
import { unsubscribeToken } from '../../src/render/mail.ts';
import { maskEmail, maskIp } from '../../src/serve/mask.ts';
import { SECRET } from '../helpers/smtp.ts';

const b64u = (s: string) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const mac32 = (text: string) => createHmac('sha256', SECRET).update(text).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 32);

describe('tokens', () => {
  it('the address token is base64url(lower-cased address) "." the first 32 characters of its HMAC, as every mail already carries', () => {
    const token = unsubscribeToken(SECRET, 'Ana.Ruiz@Example.COM');
    expect(token).toBe(`${b64u('ana.ruiz@example.com')}.${mac32('ana.ruiz@example.com')}`);
    expect(verifyAddressToken(SECRET, token)).toBe('ana.ruiz@example.com');
    expect(verifyAddressToken(SECRET, unsubscribeToken(SECRET, 'jürgen@bücher.example'))).toBe('jürgen@bücher.example');
  });

  it('refuses forged, truncated, re-addressed and malformed address tokens', () => {
    const token = unsubscribeToken(SECRET, 'ana@example.com');
    for (const bad of [token.slice(0, -1), `${token}A`, unsubscribeToken('another-secret-0123456789', 'ana@example.com'), `${b64u('bo@example.com')}.${token.split('.')[1]}`, `${b64u('not an address')}.${mac32('not an address')}`, '', '.', `${token}.x`]) {
      expect(verifyAddressToken(SECRET, bad), bad).toBeUndefined();
    }
  });

  it('the confirmation token is base64url(address) "." issued seconds "." the first 32 characters of HMAC("confirm" NUL address NUL issued), and expires', () => {
    const issued = new Date('2026-11-25T12:00:00.700Z');
    const token = confirmationToken(SECRET, 'Ana@Example.com', issued);
    const seconds = Math.floor(issued.getTime() / 1000);
    expect(token).toBe(`${b64u('ana@example.com')}.${seconds}.${mac32(`confirm\0ana@example.com\0${seconds}`)}`);
    expect(verifyConfirmationToken(SECRET, token, new Date('2026-11-27T11:59:00Z'), 48)).toMatchObject({ ok: true, email: 'ana@example.com' });
    expect(verifyConfirmationToken(SECRET, token, new Date('2026-11-27T12:00:01Z'), 48)).toEqual({ ok: false, reason: 'expired' });
    // A later date with the old MAC is a forgery, not an expiry question.
    expect(verifyConfirmationToken(SECRET, token.replace(`.${seconds}.`, `.${seconds + 3600}.`), new Date('2026-11-25T13:00:00Z'), 48)).toEqual({ ok: false, reason: 'invalid' });
    // An address token is never a confirmation token.
    expect(verifyConfirmationToken(SECRET, unsubscribeToken(SECRET, 'ana@example.com'), issued, 48)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('masks addresses and IPs for the log', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@e***.com');
    expect(maskIp('203.0.113.77')).toBe('203.0.113.x');
    expect(maskIp('::ffff:127.0.0.1')).toBe('127.0.0.x');
    expect(maskIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::x');
  });
});
