// SMTP through nodemailer's pool. The pool never requeues on its own (maxRequeues: 0): the run decides
// what to retry, from what the server answered and whether the body had started to flow.
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { rootCertificates } from 'node:tls';
import type { MailConfig } from '../core/config.ts';
import { AdvisoriesError } from '../core/errors.ts';
import type { OutgoingMail } from '../render/mail.ts';
import { DKIM_HEADERS, type DkimSettings, type SendOutcome, type Transport } from './transport.ts';

// A plain key: nodemailer copies the message data without symbol keys.
const HOOK = 'advisoriesOnTransmit';
type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/** What a failure means for this message; `transmitting` says whether its body had begun. */
export function classify(error: SmtpError, transmitting: boolean): SendOutcome {
  const reply = oneLine(error.response ?? `${error.code ?? 'error'}: ${error.message}`);
  if (error.code === 'EAUTH') return { state: 'fatal', reply: `authentication failed: ${reply}` };
  if (error.code === 'ETLS' && error.command === 'STARTTLS' && error.response) {
    return {
      state: 'fatal',
      reply: `the server does not offer STARTTLS (${reply}), so the password in SMTP_URL would travel unencrypted; nothing was sent. ` +
        'Use smtps://, enable STARTTLS on the server, or, for a relay on this machine only, set mail.plaintextAuthOnLoopback (docs/mail.md, "Transport security")',
    };
  }
  if (error.code === 'ETLS' || /certificate|self[- ]signed|ssl|tls|wrong version number/i.test(error.message)) {
    return { state: 'fatal', reply: `TLS failed: ${reply}` };
  }
  const code = error.responseCode ?? 0;
  // 421: the server is closing the channel for everyone, not refusing this message.
  if (code >= 400 && code < 500) return { state: 'retry', reply, serverWide: code === 421 };
  // RFC 5321 4.5.3.1.10: 552 at RCPT ("too many recipients", "mailbox full") is to be treated as temporary.
  if (code === 552 && error.command === 'RCPT TO') return { state: 'retry', reply };
  if (code >= 500) {
    // A refused sender would refuse every message: stop rather than mark everyone failed.
    if (error.command === 'MAIL FROM' || error.command === 'AUTH' || code === 530) return { state: 'fatal', reply: `server refused the sender: ${reply}` };
    return { state: 'failed-permanent', reply };
  }
  // No reply at all: a dropped or hung connection (the command timeout), which is the server's state, not the message's.
  return transmitting ? { state: 'unknown', reply: `no reply after the message was sent: ${reply}` } : { state: 'retry', reply, serverWide: true };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;

export interface SmtpSettings {
  url: string;
  mail: MailConfig;
  dkim?: DkimSettings;
  /** Extra trusted CA certificates (PEM), from SMTP_CA_FILE: for a relay with a private CA. */
  ca?: string;
}

/**
 * Connection options from SMTP_URL and the config. Credentials never travel unencrypted: smtp:// with a
 * user requires STARTTLS unless the operator opted out for a loopback relay; certificates are always checked.
 */
export function connectionOptions({ url, mail, ca }: SmtpSettings) {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const auth = parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined;
  if (mail.plaintextAuthOnLoopback && !LOOPBACK.test(parsed.hostname)) {
    throw new AdvisoriesError('SETUP', `mail.plaintextAuthOnLoopback applies only to a relay on this machine (127.0.0.1, ::1, localhost), not to ${parsed.hostname}: remove it from advisories.config.json`);
  }
  const plaintextAllowed = mail.plaintextAuthOnLoopback && LOOPBACK.test(parsed.hostname);
  return {
    host,
    port: Number(parsed.port) || (secure ? 465 : 587),
    secure,
    ...(auth ? { auth } : {}),
    requireTLS: !secure && auth !== undefined && !plaintextAllowed,
    tls: { rejectUnauthorized: true, ...(ca ? { ca: [...rootCertificates, ca] } : {}) },
    connectionTimeout: Math.min(20_000, mail.commandTimeout),
    greetingTimeout: Math.min(20_000, mail.commandTimeout),
    socketTimeout: mail.commandTimeout,
  };
}

export function smtpTransport(settings: SmtpSettings): Transport {
  const { mail, dkim } = settings;
  const options = connectionOptions(settings);
  const transporter = nodemailer.createTransport({
    ...options,
    pool: true,
    maxConnections: mail.maxConnections,
    rateLimit: mail.rateLimit,
    rateDelta: mail.rateDelta,
    maxRequeues: 0,
    ...(dkim ? { dkim: { ...dkim, headerFieldNames: DKIM_HEADERS } } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  transporter.use('stream', (m, done) => {
    const hook = (m.data as unknown as Record<string, (() => Promise<void>) | undefined>)[HOOK];
    const message = m.message as unknown as { createReadStream: (...a: unknown[]) => NodeJS.ReadableStream };
    const create = message.createReadStream.bind(message);
    // The connection pipes this stream only after the server accepted DATA: 'resume' is that moment. The
    // stream is paused again at once (before its first chunk flows) until the hook's write is durable.
    message.createReadStream = (...args) => {
      const stream = create(...args) as NodeJS.ReadableStream & { destroy(error?: Error): void };
      if (hook) {
        stream.once('resume', () => {
          stream.pause();
          hook().then(
            () => stream.resume(),
            (error: Error) => stream.destroy(error),
          );
        });
      }
      return stream;
    };
    done();
  });
  let international = false;
  return {
    kind: 'smtp',
    describe: `SMTP ${options.secure ? 'over TLS ' : ''}${options.host}:${options.port}`,
    get international() {
      return international;
    },
    async verify() {
      // One connection of our own: the pool's verify does not say which extensions the server offers.
      const connection = new SMTPConnection(options);
      try {
        await new Promise<void>((resolve, reject) => {
          connection.once('error', reject);
          connection.connect((error) => (error ? reject(error) : resolve()));
        });
        international = /[ -]SMTPUTF8\b/i.test(String(connection.lastServerResponse));
        if (options.auth) {
          const auth = options.auth;
          await new Promise<void>((resolve, reject) => connection.login(auth, (error) => (error ? reject(error) : resolve())));
        }
        connection.quit();
        return null;
      } catch (error) {
        connection.close();
        const outcome = classify(error as SmtpError, false);
        // A 4xx (a 421 greeting) is the server deferring, which the run waits out like any deferral;
        // no answer at all (refused, timed out) is a server that is not there.
        if (outcome.state !== 'retry') return outcome;
        const code = (error as SmtpError).responseCode ?? 0;
        return code >= 400 && code < 500 ? { ...outcome, serverWide: true } : { state: 'fatal', reply: `cannot reach the server: ${outcome.reply}` };
      }
    },
    async send(message: OutgoingMail, onTransmit) {
      let transmitting = false;
      let ledgerError: Error | undefined;
      const data = {
        raw: message.raw,
        envelope: message.envelope,
        // Unused in raw output, but spares nodemailer generating a random one per message.
        messageId: message.messageId,
        [HOOK]: async () => {
          try {
            await onTransmit();
          } catch (error) {
            ledgerError = error as Error;
            throw error;
          }
          transmitting = true;
        },
      };
      try {
        const info = await transporter.sendMail(data);
        if (info.rejected.length > 0) return { state: 'failed-permanent', reply: oneLine(String(info.rejectedErrors?.[0]?.message ?? info.response)) };
        return { state: 'sent', reply: oneLine(info.response) };
      } catch (error) {
        // The body never left: the server drops a DATA that ends without its final dot.
        if (ledgerError) return { state: 'fatal', reply: `the mail ledger could not be written, so nothing more is sent: ${ledgerError.message}` };
        return classify(error as SmtpError, transmitting);
      }
    },
    close: () => transporter.close(),
  };
}
