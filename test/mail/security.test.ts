// Transport security and signing keys, as an attacker in the path or a damaged secret would test them,
// against the real SMTP server (with a certificate made by openssl for this run).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, selfSignedCert, startSmtp, type Behaviour, type TestServer } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
let servers: TestServer[] = [];
let certDir: string;
let cert: ReturnType<typeof selfSignedCert>;
beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'smtp-cert-'));
  cert = selfSignedCert(certDir);
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  project?.cleanup();
});

async function server(b: Behaviour = {}) {
  const s = await startSmtp(b);
  servers.push(s);
  return s;
}

function setup(rows: string[], mail: object = {}) {
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'subscribers.csv': csv(rows) }, { config: mailConfig(mail) });
  return (env: NodeJS.ProcessEnv, ...extra: string[]) =>
    cli(['notify', '--root', project.root, '--now', NOW, ...extra], { SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET, ...env });
}

const AUTH = { user: 'mailer', pass: 'hunter2-secret' };

describe('credentials never travel unencrypted', () => {
  it('smtp:// with a password to a server without STARTTLS: exit 2 naming the setting, and the server never sees AUTH', async () => {
    const s = await server({ auth: AUTH });
    const run = setup(['a@example.com,,', 'b@example.com,,']);
    const r = await run({ SMTP_URL: s.url });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/Stopped: the server does not offer STARTTLS .*password in SMTP_URL would travel unencrypted; nothing was sent.*mail\.plaintextAuthOnLoopback/);
    expect(s.auths).toEqual([]);
    expect(s.raw.length).toBe(0);
    // Nothing sent, nothing failed: both messages stay pending for a run with a safe setting.
    expect(r.stdout).toMatch(/total\s+0\s+0\s+0\s+0\s+2\n/);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('smtp:// with STARTTLS: logs in only after TLS, with the certificate checked against SMTP_CA_FILE', async () => {
    const s = await server({ auth: AUTH, tls: cert });
    const run = setup(['a@example.com,,']);
    const untrusted = await run({ SMTP_URL: s.url });
    expect(untrusted.code).toBe(2);
    expect(untrusted.stdout).toMatch(/Stopped: TLS failed/);
    expect(s.auths).toEqual([]);

    const r = await run({ SMTP_URL: s.url, SMTP_CA_FILE: cert.certFile });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s.auths.length).toBeGreaterThan(0);
    expect(s.auths.every((a) => a.secure)).toBe(true);
    expect(s.accepted).toEqual(['a@example.com']);
  });

  it('smtps:// is implicit TLS, certificate checked', async () => {
    const s = await server({ auth: AUTH, tls: cert, secure: true });
    const run = setup(['a@example.com,,']);
    const r = await run({ SMTP_URL: s.url, SMTP_CA_FILE: cert.certFile });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('via SMTP over TLS 127.0.0.1');
    expect(s.auths.every((a) => a.secure)).toBe(true);
  });

  it('the plaintext opt-out holds for a loopback relay only', async () => {
    const run = setup(['a@example.com,,'], { plaintextAuthOnLoopback: true });
    const r = await run({ SMTP_URL: 'smtp://mailer:hunter2-secret@mail.example.invalid:587' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mail.plaintextAuthOnLoopback applies only to a relay on this machine (127.0.0.1, ::1, localhost), not to mail.example.invalid');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
    const bad = await run({ SMTP_URL: 'smtp://127.0.0.1:1', SMTP_CA_FILE: join(certDir, 'missing.pem') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SMTP_CA_FILE cannot be read (ENOENT)');
  });
});

describe('signing keys are proven before the first message', () => {
  const dkimEnv = (key: string) => ({ DKIM_PRIVATE_KEY: key, DKIM_SELECTOR: 'mail2026', DKIM_DOMAIN: 'scalebox.dev' });

  it('a PEM-shaped broken DKIM key: exit 2 before any message, naming the variable and never its value', async () => {
    const s = await server();
    const run = setup(['a@example.com,,']);
    const broken = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4\n-----END PRIVATE KEY-----\n';
    const r = await run({ SMTP_URL: s.url, ...dkimEnv(broken) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DKIM_PRIVATE_KEY is not a usable private key');
    expect(r.stdout + r.stderr).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4');
    expect(s.raw.length).toBe(0);

    const { privateKey: ec } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const wrongKind = await run({ SMTP_URL: s.url, ...dkimEnv(ec) });
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain('DKIM_PRIVATE_KEY must be an RSA key');
    const record = await cli(['dkim-record'], dkimEnv(broken));
    expect(record.code).toBe(2);
    expect(record.stderr).toContain('DKIM_PRIVATE_KEY is not a usable private key');
    const unset = await cli(['dkim-record'], {});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('set DKIM_PRIVATE_KEY, DKIM_SELECTOR and DKIM_DOMAIN');
    expect(s.raw.length).toBe(0);
  });

  it('a good DKIM key: every message verifies against the record `advisories dkim-record` prints', async () => {
    const s = await server();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const printed = await cli(['dkim-record'], dkimEnv(privateKey));
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('mail2026._domainkey.scalebox.dev. IN TXT ( "v=DKIM1; k=rsa; p=');
    expect(printed.stdout).not.toContain('PRIVATE KEY');
    const value = printed.stdout.trim().split('\n').at(-1)!;
    expect(value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]+$/);

    const run = setup(['a@example.com,,', 'b@example.com,,', 'c@example.com,,']);
    const r = await run({ SMTP_URL: s.url, ...dkimEnv(privateKey) });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s.raw.length).toBe(3);
    const resolver = async (name: string, type: string) => {
      if (name === 'mail2026._domainkey.scalebox.dev' && type === 'TXT') return [value.match(/.{1,255}/g)!];
      throw Object.assign(new Error(`no record ${name}`), { code: 'ENOTFOUND' });
    };
    for (const raw of s.raw) {
      const result = await dkimVerify(raw, { resolver });
      expect(result.results.map((x) => [x.signingDomain, x.selector, x.status.result])).toEqual([['scalebox.dev', 'mail2026', 'pass']]);
    }
  });

  it('a PGP key that cannot be used: exit 2 before any message, naming PGP_PRIVATE_KEY', async () => {
    const s = await server();
    const run = setup(['a@example.com,,']);
    const r = await run({ SMTP_URL: s.url, PGP_PRIVATE_KEY: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxcLYBGZ-not-a-key\n-----END PGP PRIVATE KEY BLOCK-----\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PGP_PRIVATE_KEY cannot be used');
    expect(r.stderr).not.toContain('xcLYBGZ');
    expect(s.raw.length).toBe(0);
  });
});

describe('internationalised addresses', () => {
  it('are sent with SMTPUTF8 when the server offers it', async () => {
    const s = await server();
    const run = setup(['usér@bücher.de,,', 'a@example.com,,']);
    const r = await run({ SMTP_URL: s.url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s.envelopes.find((e) => e.to[0] === 'usér@bücher.de')).toEqual({ to: ['usér@bücher.de'], smtpUtf8: true });
    const mail = (await s.parsed()).find((m) => (m.to as { text: string }).text === 'usér@bücher.de');
    expect(mail?.subject).toBe('[SECURITY] [HIGH] SBX-2026-0001: Problem in SBX-2026-0001');
  });

  it('are left pending with a clear message when the server does not offer SMTPUTF8; the others go out', async () => {
    const s = await server({ noSmtpUtf8: true });
    const run = setup(['a@example.com,,', 'usér@bücher.de,,']);
    const r = await run({ SMTP_URL: s.url });
    expect(r.code).toBe(1);
    expect(s.accepted).toEqual(['a@example.com']);
    expect(r.stdout).toMatch(/pending\s+SBX-2026-0001\s+u\*\*\*@bücher\.de \(subscriber line 3\): not sent: the address has non-ASCII characters, which need SMTPUTF8 \(RFC 6531\), and the server does not offer it/);
  });
});
