// The double opt-in mail: one link, sent in the background so an answer never waits on SMTP. Sends still
// running when the service stops are finished first (close()).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../core/config.ts';
import { DKIM_HEADERS, type DkimSettings } from '../mail/transport.ts';
import { oneLine } from '../render/mail.ts';
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
  const pending = new Set<Promise<void>>();
  let failures = 0;

  async function deliver(m: ConfirmationMail): Promise<void> {
    const info = await transporter.sendMail({
      from: oneLine(o.mail.from),
      replyTo: oneLine(o.mail.replyTo ?? o.mail.from),
      to: m.to,
      subject: oneLine(`Confirm your subscription to ${o.product} security announcements`),
      text: body(o.product, m),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
    if (!o.smtpUrl) {
      const name = `confirm-${Date.now()}-${randomBytes(4).toString('hex')}.eml`;
      writeFileSync(join(o.outbox, `.${name}.tmp`), (info as unknown as { message: Buffer }).message);
      renameSync(join(o.outbox, `.${name}.tmp`), join(o.outbox, name));
    }
  }

  return {
    send(m) {
      const p = deliver(m)
        .catch((error: unknown) => {
          failures++;
          const code = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code ?? 'error';
          o.log(`confirmation mail to ${maskEmail(m.to)} failed (${code})`);
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async close() {
      while (pending.size) await Promise.all([...pending]);
      transporter.close();
    },
    get failures() {
      return failures;
    },
  };
}
