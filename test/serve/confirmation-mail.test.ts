// The service's confirmation mails against the real SMTP server: a burst of subscriptions is mailed once
// each, a few at a time (the rest wait as addresses and links, not as whole messages), and close() returns
// only once every one has been handed over.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/core/config.ts';
import { createMailer } from '../../src/serve/confirmation-mail.ts';
import { mailConfig, startSmtp, type TestServer } from '../helpers/smtp.ts';

let server: TestServer | undefined;
afterEach(() => server?.close());

describe('confirmation mails', () => {
  it('a burst of 300 is delivered once each, never over more than maxConnections at once, and close() waits for them all', async () => {
    let inFlight = 0;
    let most = 0;
    // Counted from MAIL FROM to the reply to the message: what nodemailer has handed to the server.
    server = await startSmtp({
      mailFrom: () => {
        most = Math.max(most, ++inFlight);
        return undefined;
      },
      arrived: () => void inFlight--,
    });
    const config = ConfigSchema.parse(mailConfig({ maxConnections: 2 }));
    const log: string[] = [];
    const mailer = createMailer({ mail: config.mail!, product: 'Scalebox SDK', smtpUrl: server.url, outbox: '/nonexistent', log: (l) => log.push(l) });
    const to = Array.from({ length: 300 }, (_, i) => `reader${i}@example.com`);
    for (const address of to) mailer.send({ to: address, confirmUrl: `https://lists.example/confirm?token=${address}`, hours: 48 });
    await mailer.close();
    expect(server.accepted.slice().sort()).toEqual(to.slice().sort());
    expect([...(await server.countsByRecipient()).values()].every((n) => n === 1)).toBe(true);
    expect(mailer.failures).toBe(0);
    expect(log).toEqual([]);
    expect(most).toBeLessThanOrEqual(2);
    // Each mail carries its own link.
    const parsed = await server.parsed();
    for (const m of parsed.slice(0, 5)) expect(m.text).toContain(`token=${(m.to as { value: { address: string }[] }).value[0]!.address}`);
  });
});
