// The double opt-in mail: one link, sent in the background so an answer never waits on SMTP. Sends still
// running when the service stops are finished first (close()). Composed like notify's mails
// (render/mail-mime.ts): the shared header fields encoded once, the message handed to nodemailer as it is.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { MailConfig } from '../core/config.ts';
import { DKIM_HEADERS, type DkimSettings } from '../mail/transport.ts';
import { oneLine } from '../render/mail.ts';
import { encodeHeaders, quotedPrintable } from '../render/mail-mime.ts';
import { maskEmail } from './mask.ts';

export interface ConfirmationMail {
  to: string;
  confirmUrl: string;
  hours: number;
}

export interface Mailer {
  /** Queues the mail; failures are logged (address masked), never thrown at the caller. */
  send(m: ConfirmationMail): void;
  /** Waits for every queued mail, then closes the connections. */
  close(): Promise<void>;
  /** Mails whose sending failed since start (for tests and the log). */
  readonly failures: number;
}

export interface MailerOptions {
  mail: MailConfig;
  product: string;
  smtpUrl?: string;
  dkim?: DkimSettings;
  /** Without SMTP_URL: where the mails are written as .eml files. */
  outbox: string;
  log: (line: string) => void;
}

export function body(product: string, m: ConfirmationMail): string {
  return [
    `Someone, probably you, asked to receive ${product} security announcements at this address.`,
    '',
    'To confirm, open this link and press the button on the page:',
    '',
    m.confirmUrl,
    '',
    `The link works for ${m.hours} hours. If you did not ask, ignore this mail: nothing will be sent to you.`,
    '',
  ].join('\n');
}

/** The mail's fixed part is encoded once; per mail only To, Date, Message-ID and the body are written. */
function composer(o: MailerOptions) {
  const from = oneLine(o.mail.from);
  const head = encodeHeaders({
    From: from,
    'Reply-To': oneLine(o.mail.replyTo ?? o.mail.from),
    Subject: oneLine(`Confirm your subscription to ${o.product} security announcements`),
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
  });
  const sender = addressparser(from, { flatten: true })[0]?.address ?? from;
  const domain = sender.split('@').pop();
  const type = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n';
  return (m: ConfirmationMail, date: Date) => {
    const to = oneLine(m.to);
    // To is a validated address, written as it is: an internationalised one goes with SMTPUTF8 (RFC 6532), as notify's mails do.
    const messageId = `<${randomUUID()}@${domain}>`;
    const personal = `To: ${to}\r\nDate: ${date.toUTCString().replace(/GMT/, '+0000')}\r\nMessage-ID: ${messageId}\r\n`;
    // messageId: the raw message's own, so that nodemailer does not make one of its own for its answer.
    return { raw: Buffer.from(personal + head + type + quotedPrintable(body(o.product, m)), 'utf8'), envelope: { from: sender, to: [to] }, messageId };
  };
}

export function createMailer(o: MailerOptions): Mailer {
  const transporter: Transporter = o.smtpUrl
    ? nodemailer.createTransport({
        url: o.smtpUrl,
        pool: true,
        maxConnections: o.mail.maxConnections,
        connectionTimeout: 20_000,
        greetingTimeout: 20_000,
        socketTimeout: 60_000,
        ...(o.dkim ? { dkim: { ...o.dkim, headerFieldNames: DKIM_HEADERS } } : {}),
      } as Parameters<typeof nodemailer.createTransport>[0])
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  if (!o.smtpUrl) mkdirSync(o.outbox, { recursive: true });
  const compose = composer(o);
  // Our own queue of what to send (an address and a link each): nodemailer gets a few messages at a time,
  // composed when their turn comes. Handed all at once, a burst of requests would sit in its queue as whole
  // messages, and the heap that grows with them slows every answer the service gives meanwhile.
  const queue: (ConfirmationMail | undefined)[] = [];
  let next = 0;
  let active = 0;
  const inFlight = Math.max(1, o.mail.maxConnections) * 2;
  const drained: (() => void)[] = [];
  let failures = 0;

  async function deliver(m: ConfirmationMail): Promise<void> {
    const info = await transporter.sendMail(compose(m, new Date()));
    if (!o.smtpUrl) {
      const name = `confirm-${Date.now()}-${randomBytes(4).toString('hex')}.eml`;
      writeFileSync(join(o.outbox, `.${name}.tmp`), (info as unknown as { message: Buffer }).message);
      renameSync(join(o.outbox, `.${name}.tmp`), join(o.outbox, name));
    }
  }

  function pump() {
    while (active < inFlight && next < queue.length) {
      const m = queue[next]!;
      queue[next++] = undefined; // sent on: not kept alive by the queue until it is cleared
      active++;
      deliver(m)
        .catch((error: unknown) => {
          failures++;
          const code = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code ?? 'error';
          o.log(`confirmation mail to ${maskEmail(m.to)} failed (${code})`);
        })
        .finally(() => {
          active--;
          pump();
        });
    }
    if (next === queue.length) {
      queue.length = next = 0;
      if (active === 0) for (const resolve of drained.splice(0)) resolve();
    } else if (next > 4096 && next * 2 > queue.length) {
      queue.splice(0, next);
      next = 0;
    }
  }

  return {
    send(m) {
      queue.push(m);
      pump();
    },
    async close() {
      if (active > 0 || next < queue.length) await new Promise<void>((resolve) => drained.push(resolve));
      transporter.close();
    },
    get failures() {
      return failures;
    },
  };
}
