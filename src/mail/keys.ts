// Signing keys are proven before the first message: a key that looks like PEM but cannot sign would
// otherwise send every message unsigned (nodemailer skips DKIM silently). Errors name the variable,
// never its value.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { AdvisoriesError } from '../core/errors.ts';

const PROBE = Buffer.from('advisories: DKIM key check');

/** The DKIM private key, parsed and shown to sign: rsa-sha256 (what nodemailer signs with), at least 1024 bits. */
export function proveDkimKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new AdvisoriesError('SETUP', 'DKIM_PRIVATE_KEY is not a usable private key (it cannot be parsed as PEM); nothing was sent');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new AdvisoriesError('SETUP', `DKIM_PRIVATE_KEY must be an RSA key (nodemailer signs rsa-sha256), not ${key.asymmetricKeyType ?? 'this kind of key'}; nothing was sent`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new AdvisoriesError('SETUP', `DKIM_PRIVATE_KEY has ${bits} bits: receivers ignore DKIM keys under 1024 bits (use 2048); nothing was sent`);
  let ok = false;
  try {
    ok = verify('sha256', PROBE, createPublicKey(key), sign('sha256', PROBE, key));
  } catch {
    ok = false;
  }
  if (!ok) throw new AdvisoriesError('SETUP', 'DKIM_PRIVATE_KEY cannot sign: a test signature does not verify against its own public key; nothing was sent');
  return key;
}

/** The TXT record receivers look up: name and value, the value also split into DNS strings of at most 255 characters. */
export function dkimRecord(key: KeyObject, selector: string, domain: string) {
  const p = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  const value = `v=DKIM1; k=rsa; p=${p}`;
  const name = `${selector}._domainkey.${domain}`;
  const strings = value.match(/.{1,255}/g)!.map((s) => `"${s}"`);
  return { name, value, zone: `${name}. IN TXT ( ${strings.join(' ')} )` };
}
