// What every route of the service is given: the store, the mailer, the settings, the clock and the log.
import type { Config, MailConfig, ServiceConfig } from '../core/config.ts';
import type { ListStore } from '../list/index.ts';
import type { Mailer } from './confirmation-mail.ts';
import type { PageContext } from './pages.ts';
import type { ServiceUrls } from './urls.ts';

export interface ServiceContext {
  config: Config;
  mail: MailConfig;
  service: ServiceConfig;
  store: ListStore;
  mailer: Mailer;
  urls: ServiceUrls;
  /** UNSUBSCRIBE_SECRET: the key of both tokens. */
  secret: string;
  /** BOUNCE_WEBHOOK_SECRET: without it the webhook answers 404. */
  webhookSecret?: string;
  /** Origins allowed to post forms and JSON: the site's and the service's own. */
  origins: { site: string; service: string };
  page: PageContext;
  now(): Date;
  /** One line per event; never a whole address, IP or token. */
  log(line: string): void;
}
