// `advisories serve`: the list's HTTP service. Opens the store, starts listening, and on close() stops
// taking requests, lets the ones in flight finish, sends the queued confirmation mails, then closes the store.
import type { AddressInfo } from 'node:net';
import type { Config, MailConfig, ServiceConfig } from '../core/config.ts';
import type { ListStore } from '../list/index.ts';
import type { DkimSettings } from '../mail/transport.ts';
import { buildApp } from './app.ts';
import { createMailer } from './confirmation-mail.ts';
import { serviceUrls } from './urls.ts';

export interface ServeOptions {
  config: Config;
  mail: MailConfig;
  service: ServiceConfig;
  store: ListStore;
  secret: string;
  webhookSecret?: string;
  smtpUrl?: string;
  dkim?: DkimSettings;
  /** Where confirmation mails go without SMTP_URL. */
  outbox: string;
  host: string;
  port: number;
  now?: () => Date;
  log(line: string): void;
}

export interface RunningService {
  /** http://host:port/ actually bound (port 0 picks one). */
  address: string;
  close(): Promise<void>;
}

export async function startService(o: ServeOptions): Promise<RunningService> {
  const urls = serviceUrls(o.service.url, o.mail.unsubscribeUrl);
  const mailer = createMailer({ mail: o.mail, product: o.config.product, outbox: o.outbox, log: o.log, ...(o.smtpUrl ? { smtpUrl: o.smtpUrl } : {}), ...(o.dkim ? { dkim: o.dkim } : {}) });
  const app = await buildApp({
    config: o.config,
    mail: o.mail,
    service: o.service,
    store: o.store,
    mailer,
    urls,
    secret: o.secret,
    ...(o.webhookSecret ? { webhookSecret: o.webhookSecret } : {}),
    origins: { site: new URL(o.config.siteUrl).origin, service: urls.base.origin },
    page: { product: o.config.product, siteUrl: o.config.siteUrl },
    now: o.now ?? (() => new Date()),
    log: o.log,
  });
  await app.listen({ host: o.host, port: o.port });
  const bound = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    address: `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}/`,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await mailer.close();
        await o.store.close();
      })()),
  };
}
