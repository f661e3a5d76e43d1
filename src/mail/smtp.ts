// SMTP through nodemailer's pool. The pool never requeues on its own (maxRequeues: 0): the run decides
// what to retry, from what the server answered and whether the body had started to flow.
import nodemailer from 'nodemailer';
import type { MailConfig } from '../core/config.ts';
import type { OutgoingMail } from '../render/mail.ts';
import { DKIM_HEADERS, type DkimSettings, type SendOutcome, type Transport } from './transport.ts';

// A plain key: nodemailer copies the message data without symbol keys.
const HOOK = 'advisoriesOnTransmit';
type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/** What a failure means for this message; `transmitting` says whether its body had begun. */
export function classify(error: SmtpError, transmitting: boolean): SendOutcome {
  const reply = oneLine(error.response ?? `${error.code ?? 'error'}: ${error.message}`);
  if (error.code === 'EAUTH') return { state: 'fatal', reply: `authentication failed: ${reply}` };
  if (error.code === 'ETLS' || /certificate|self[- ]signed|ssl|tls|wrong version number/i.test(error.message)) {
    return { state: 'fatal', reply: `TLS failed: ${reply}` };
  }
  const code = error.responseCode ?? 0;
  if (code >= 400 && code < 500) return { state: 'retry', reply };
  if (code >= 500) {
    // A refused sender would refuse every message: stop rather than mark everyone failed.
    if (error.command === 'MAIL FROM' || error.command === 'AUTH' || code === 530) return { state: 'fatal', reply: `server refused the sender: ${reply}` };
    return { state: 'failed-permanent', reply };
  }
  return transmitting ? { state: 'unknown', reply: `no reply after the message was sent: ${reply}` } : { state: 'retry', reply };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function smtpTransport(url: string, mail: MailConfig, dkim?: DkimSettings): Transport {
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: mail.maxConnections,
    rateLimit: mail.rateLimit,
    rateDelta: mail.rateDelta,
    maxRequeues: 0,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
    ...(dkim ? { dkim: { ...dkim, headerFieldNames: DKIM_HEADERS } } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  transporter.use('stream', (m, done) => {
    const hook = (m.data as unknown as Record<string, (() => void) | undefined>)[HOOK];
    const message = m.message as unknown as { createReadStream: (...a: unknown[]) => NodeJS.ReadableStream };
    const create = message.createReadStream.bind(message);
    // The connection pipes this stream only after the server accepted DATA: 'resume' is that moment.
    message.createReadStream = (...args) => {
      const stream = create(...args);
      if (hook) stream.once('resume', hook);
      return stream;
    };
    done();
  });
  return {
    kind: 'smtp',
    describe: `SMTP ${parsed.protocol === 'smtps:' ? 'over TLS ' : ''}${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`,
    async verify() {
      try {
        await transporter.verify();
        return null;
      } catch (error) {
        const outcome = classify(error as SmtpError, false);
        return outcome.state === 'retry' ? { state: 'fatal', reply: `cannot reach the server: ${outcome.reply}` } : outcome;
      }
    },
    async send(message: OutgoingMail, onTransmit) {
      let transmitting = false;
      const data = {
        raw: message.raw,
        envelope: message.envelope,
        // Unused in raw output, but spares nodemailer generating a random one per message.
        messageId: message.messageId,
        [HOOK]: () => {
          transmitting = true;
          onTransmit();
        },
      };
      try {
        const info = await transporter.sendMail(data);
        if (info.rejected.length > 0) return { state: 'failed-permanent', reply: oneLine(String(info.rejectedErrors?.[0]?.message ?? info.response)) };
        return { state: 'sent', reply: oneLine(info.response) };
      } catch (error) {
        return classify(error as SmtpError, transmitting);
      }
    },
    close: () => transporter.close(),
  };
}
