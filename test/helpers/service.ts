// `advisories serve` in-process on 127.0.0.1 against a real store (SQLite or its own PostgreSQL database)
// and the real SMTP test server: what the confirmation mails carry is read back with mailparser.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConfigSchema } from '../../src/core/config.ts';
import { openStore, type ListStore } from '../../src/list/index.ts';
import { startService, type RunningService } from '../../src/serve/index.ts';
import { createDatabase, type TestDatabase } from './database.ts';
import { MAIL, SECRET, startSmtp, type TestServer } from './smtp.ts';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** A port free now (the service's own links must name it before it listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestService {
  url: string;
  store: ListStore;
  smtp: TestServer;
  db: TestDatabase;
  log: string[];
  config: ReturnType<typeof ConfigSchema.parse>;
  /** The confirmation links mailed so far to this address, newest last. */
  confirmLinks(email: string): Promise<string[]>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestService(kind: 'sqlite' | 'postgres', o: { siteUrl?: string; service?: object; port?: number; db?: TestDatabase } = {}): Promise<TestService> {
  const db = o.db ?? (await createDatabase(kind));
  const smtp = await startSmtp();
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}/`;
  const config = ConfigSchema.parse({
    product: 'Scalebox SDK',
    siteUrl: o.siteUrl ?? 'https://security.scalebox.dev/',
    package: 'scalebox-sdk',
    mail: { ...MAIL, unsubscribeUrl: `${url}unsubscribe?token={token}` },
    service: { url, requestsPerMinute: 1000, subscribesPerHour: 1000, ...o.service },
  });
  const store = await openStore({ state: db.state, ...(db.databaseUrl ? { databaseUrl: db.databaseUrl } : {}) });
  const log: string[] = [];
  let running: RunningService | undefined = await startService({
    config,
    mail: config.mail!,
    service: config.service!,
    store,
    secret: SECRET,
    webhookSecret: WEBHOOK_SECRET,
    smtpUrl: smtp.url,
    outbox: `${db.state}/outbox`,
    host: '127.0.0.1',
    port,
    log: (line) => void log.push(line),
  });
  const stop = async () => {
    await running?.close();
    running = undefined;
  };
  return {
    url,
    store,
    smtp,
    db,
    log,
    config,
    async confirmLinks(email) {
      const links: string[] = [];
      for (const m of await smtp.parsed()) {
        const to = (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value ?? []).map((v) => v.address);
        const link = /https?:\/\/\S+\/confirm\?token=\S+/.exec(m.text ?? '')?.[0];
        if (to.includes(email) && link) links.push(link);
      }
      return links;
    },
    stop,
    async close() {
      await stop();
      await smtp.close();
      if (!o.db) await db.drop();
    },
  };
}

/** Waits (bounded) until `n` mails have arrived: confirmation mails are sent in the background. */
export async function mailsArrived(smtp: TestServer, n: number): Promise<void> {
  for (let i = 0; i < 200 && smtp.raw.length < n; i++) await new Promise((r) => setTimeout(r, 25));
}

export const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export const json = (value: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
