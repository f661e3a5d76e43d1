// The two tokens the service accepts, both keyed with UNSUBSCRIBE_SECRET and checked in constant time
// (docs/mail.md, "Tokens"):
//   address token       base64url(address) "." first 32 chars of base64url(HMAC-SHA256(secret, address))
//                       — what every mail's List-Unsubscribe already carries (src/render/mail.ts); it never
//                       expires, so links in mails already sent keep working; it opens unsubscribe and preferences.
//   confirmation token  base64url(address) "." issued (Unix seconds) "." first 32 chars of
//                       base64url(HMAC-SHA256(secret, "confirm" NUL address NUL issued)) — expires; the NULs
//                       keep it from ever equalling an address MAC (an address holds no NUL).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { unsubscribeToken } from '../render/mail.ts';
import { Email } from '../list/index.ts';

const MAC_LENGTH = 32;
const mac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('base64url').slice(0, MAC_LENGTH);

/** Compares without leaking, through timing, how much of the MAC was right. */
function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address inside a token part, if it decodes to one valid address. */
function addressOf(part: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(part)) return undefined;
  const parsed = Email.safeParse(Buffer.from(part, 'base64url').toString('utf8'));
  return parsed.success ? parsed.data : undefined;
}

export const addressToken = unsubscribeToken;

/** The address an address token names, or undefined when it is forged, truncated or malformed. */
export function verifyAddressToken(secret: string, token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const email = addressOf(parts[0]!);
  if (email === undefined) return undefined;
  return sameMac(token, unsubscribeToken(secret, email)) ? email : undefined;
}

export function confirmationToken(secret: string, email: string, issued: Date): string {
  const address = email.toLowerCase();
  const seconds = Math.floor(issued.getTime() / 1000);
  return `${Buffer.from(address).toString('base64url')}.${seconds}.${mac(secret, `confirm\0${address}\0${seconds}`)}`;
}

export type ConfirmationCheck = { ok: true; email: string; issued: Date } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks the MAC first, then the age: a forged token is "invalid" whatever its date says. */
export function verifyConfirmationToken(secret: string, token: string, now: Date, maxAgeHours: number): ConfirmationCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^\d{1,12}$/.test(parts[1]!)) return { ok: false, reason: 'invalid' };
  const email = addressOf(parts[0]!);
  if (email === undefined) return { ok: false, reason: 'invalid' };
  const seconds = Number(parts[1]);
  if (!sameMac(parts[2]!, mac(secret, `confirm\0${email}\0${seconds}`))) return { ok: false, reason: 'invalid' };
  const age = now.getTime() / 1000 - seconds;
  if (age > maxAgeHours * 3600 || age < -300) return { ok: false, reason: 'expired' };
  return { ok: true, email, issued: new Date(seconds * 1000) };
}
