// Without SMTP_URL, every message is written to <root>/outbox/ as an .eml file, exactly as it would be
// sent (DKIM included when configured): the preview `npm start` produces, and never a real delivery.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { OutgoingMail } from '../render/mail.ts';
import { DKIM_HEADERS, type DkimSettings, type Transport } from './transport.ts';

export function outboxTransport(dir: string, dkim?: DkimSettings): Transport {
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    ...(dkim ? { dkim: { ...dkim, headerFieldNames: DKIM_HEADERS } } : {}),
  });
  mkdirSync(dir, { recursive: true });
  return {
    kind: 'outbox',
    describe: 'outbox/ (SMTP_URL is not set: nothing is really sent)',
    verify: async () => null,
    international: true,
    async send(mail: OutgoingMail, onTransmit) {
      const info = await composer.sendMail({ raw: mail.raw, envelope: mail.envelope });
      const name = `${mail.messageId.replace(/^<|>$/g, '').split('@')[0]!.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`;
      await onTransmit();
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, info.message as Buffer);
      renameSync(tmp, join(dir, name));
      return { state: 'sent', reply: `written to outbox/${name}` };
    },
    close: () => composer.close(),
  };
}
