// A real SMTP server on 127.0.0.1 (smtp-server) for the notify tests; what arrives is parsed with mailparser.
import { simpleParser, type ParsedMail } from 'mailparser';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface Behaviour {
  /** Refuse a recipient: return an error with responseCode. */
  rcpt?: (address: string) => (Error & { responseCode?: number }) | undefined;
  /** Decide on each complete message (n counts from 1): accept, refuse, or drop the connection unanswered. */
  data?: (n: number) => 'accept' | 'drop' | (Error & { responseCode?: number });
  /** Called when the nth message has fully arrived, before the server replies. */
  arrived?: (n: number) => void;
  auth?: { user: string; pass: string };
  /** Implicit TLS (smtps://). */
  secure?: boolean;
  /** A certificate: offered with STARTTLS (or used for implicit TLS when `secure`). Without it STARTTLS is off. */
  tls?: { key: string; cert: string };
  /** Do not announce SMTPUTF8. */
  noSmtpUtf8?: boolean;
  /** Greet the nth connection (from 1) with this error instead (a 421: the server is deferring everyone). */
  greet?: (n: number) => (Error & { responseCode?: number }) | undefined;
  /** Refuse MAIL FROM (n counts MAIL FROM commands from 1); 'hang' never answers it. */
  mailFrom?: (n: number) => 'hang' | (Error & { responseCode?: number }) | undefined;
}

export interface TestServer {
  port: number;
  url: string;
  raw: Buffer[];
  /** Every AUTH the server saw, and whether the connection was encrypted at that moment. */
  auths: { secure: boolean }[];
  /** Envelope of each arrived message: recipients and whether SMTPUTF8 was asked for. */
  envelopes: { to: string[]; smtpUtf8: boolean }[];
  /** Recipients of the messages the server accepted, in order of arrival. */
  accepted: string[];
  /** How many clients have connected, whether or not they sent anything. */
  connections(): number;
  parsed(): Promise<ParsedMail[]>;
  /** How many messages each recipient got. */
  countsByRecipient(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtp(b: Behaviour = {}): Promise<TestServer> {
  const raw: Buffer[] = [];
  const auths: TestServer['auths'] = [];
  const envelopes: TestServer['envelopes'] = [];
  const accepted: string[] = [];
  let mails = 0;
  let connections = 0;
  let server: SMTPServer;
  const options: SMTPServerOptions = {
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback(b.greet?.(connections) ?? undefined);
    },
    secure: b.secure ?? false,
    ...(b.tls ? { key: b.tls.key, cert: b.tls.cert } : {}),
    disabledCommands: b.secure || b.tls ? [] : ['STARTTLS'],
    hideSMTPUTF8: b.noSmtpUtf8 ?? false,
    authOptional: !b.auth,
    allowInsecureAuth: true,
    onMailFrom(_address, _session, callback) {
      const decision = b.mailFrom?.(++mails);
      if (decision === 'hang') return;
      callback(decision ?? undefined);
    },
    onAuth(auth, session, callback) {
      auths.push({ secure: session.secure });
      if (b.auth && auth.username === b.auth.user && auth.password === b.auth.pass) return callback(null, { user: auth.username });
      return callback(smtpError(535, 'Authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      const error = b.rcpt?.(address.address);
      callback(error ?? undefined);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        raw.push(Buffer.concat(chunks));
        envelopes.push({ to: session.envelope.rcptTo.map((r) => r.address), smtpUtf8: Boolean((session.envelope as { smtpUtf8?: boolean }).smtpUtf8) });
        const n = raw.length;
        b.arrived?.(n);
        const decision = b.data?.(n) ?? 'accept';
        if (decision === 'drop') {
          for (const c of (server as unknown as { connections: Set<{ session: SMTPServerSession; _socket: { destroy(): void } }> }).connections) {
            if (c.session?.id === session.id) c._socket.destroy();
          }
          return;
        }
        if (decision === 'accept') accepted.push(...session.envelope.rcptTo.map((r) => r.address));
        callback(decision === 'accept' ? null : decision, decision === 'accept' ? `queued as m${n}` : undefined);
      });
    },
  };
  server = new SMTPServer(options);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const parsed = () => Promise.all(raw.map((r) => simpleParser(r)));
  return {
    port,
    url: `${b.secure ? 'smtps' : 'smtp'}://${b.auth ? `${b.auth.user}:${b.auth.pass}@` : ''}127.0.0.1:${port}`,
    raw,
    auths,
    envelopes,
    accepted,
    connections: () => connections,
    parsed,
    async countsByRecipient() {
      const counts = new Map<string, number>();
      for (const m of await parsed()) {
        const to = (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value ?? []).map((v) => v.address!);
        for (const a of to) counts.set(a, (counts.get(a) ?? 0) + 1);
      }
      return counts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const MAIL = {
  from: 'Scalebox Security <security@scalebox.dev>',
  replyTo: 'security@scalebox.dev',
  listId: 'Scalebox security announcements <security-announce.scalebox.dev>',
  unsubscribeUrl: 'https://security.scalebox.dev/unsubscribe?token={token}',
  unsubscribeMailto: 'unsubscribe@scalebox.dev',
  maxConnections: 2,
  rateLimit: 100_000,
  retryAttempts: 3,
  retryDelay: 20,
  // Short pacing for tests: the defaults (minutes) are documented in docs/mail.md.
  probeInterval: 20,
  deferralBudget: 5_000,
  commandTimeout: 5_000,
};

export const mailConfig = (mail: object = {}) => ({ package: 'scalebox-sdk', idPrefix: 'SBX', siteUrl: 'https://security.scalebox.dev/', product: 'Scalebox SDK', mail: { ...MAIL, ...mail } });

export const SECRET = 'test-unsubscribe-secret-0123456789';

export function csv(rows: string[]): string {
  return ['email,min_severity,versions', ...rows].join('\n') + '\n';
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with Debian's openssl for this test run. */
export function selfSignedCert(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
