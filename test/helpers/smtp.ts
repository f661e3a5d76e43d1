// A real SMTP server on 127.0.0.1 (smtp-server) for the notify tests; what arrives is parsed with mailparser.
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface Behaviour {
  /** Refuse a recipient: return an error with responseCode. */
  rcpt?: (address: string) => (Error & { responseCode?: number }) | undefined;
  /** Decide on each complete message (n counts from 1): accept, refuse, or drop the connection unanswered. */
  data?: (n: number) => 'accept' | 'drop' | (Error & { responseCode?: number });
  /** Called when the nth message has fully arrived, before the server replies. */
  arrived?: (n: number) => void;
  auth?: { user: string; pass: string };
  secure?: boolean;
}

export interface TestServer {
  port: number;
  url: string;
  raw: Buffer[];
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
  let connections = 0;
  let server: SMTPServer;
  const options: SMTPServerOptions = {
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    secure: b.secure ?? false,
    disabledCommands: b.secure ? [] : ['STARTTLS'],
    authOptional: !b.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
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
        const n = raw.length;
        b.arrived?.(n);
        const decision = b.data?.(n) ?? 'accept';
        if (decision === 'drop') {
          for (const c of (server as unknown as { connections: Set<{ session: SMTPServerSession; _socket: { destroy(): void } }> }).connections) {
            if (c.session?.id === session.id) c._socket.destroy();
          }
          return;
        }
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
};

export const mailConfig = (mail: object = {}) => ({ package: 'scalebox-sdk', idPrefix: 'SBX', siteUrl: 'https://security.scalebox.dev/', product: 'Scalebox SDK', mail: { ...MAIL, ...mail } });

export const SECRET = 'test-unsubscribe-secret-0123456789';

export function csv(rows: string[]): string {
  return ['email,min_severity,versions', ...rows].join('\n') + '\n';
}
