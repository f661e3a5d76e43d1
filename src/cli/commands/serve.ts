// advisories serve: the list's HTTP service, until SIGTERM or SIGINT; then requests in flight finish,
// queued confirmation mails are sent and the store is closed before the process exits.
import { join } from 'node:path';
import { loadConfig } from '../../check/config.ts';
import { AdvisoriesError, EXIT } from '../../core/errors.ts';
import { readMailEnv } from '../../mail/env.ts';
import { startService } from '../../serve/index.ts';
import { formatText } from '../report/text.ts';
import { openListStore } from '../store.ts';
import type { Io } from '../io.ts';
import { common, parse } from '../options.ts';

export const usage = 'advisories serve [--root DIR] [--state DIR] [--port 8080] [--host 127.0.0.1]';

export async function serve(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } });
  const { root, state } = common(values, io);
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65535) throw new AdvisoriesError('USAGE', `--port "${values.port}" is not a port number (0–65535)`);

  const { config, diagnostics } = await loadConfig(root);
  if (diagnostics.some((d) => d.severity === 'error')) throw new AdvisoriesError('USAGE', `the configuration is invalid:\n${formatText(diagnostics)}`);
  const { mail, service } = config;
  if (!mail) throw new AdvisoriesError('USAGE', 'advisories.config.json has no "mail" section (from, listId, unsubscribeUrl): see docs/mail.md, "Configuration"');
  if (!service) throw new AdvisoriesError('USAGE', 'advisories.config.json has no "service" section: set at least "service": { "url": "https://list.example.org/" } (docs/mail.md, "The list service")');
  const { env, problems } = readMailEnv(io.env);
  if (!env) throw new AdvisoriesError('USAGE', `the environment is not set up for mail:\n  ${problems.join('\n  ')}\nSee docs/mail.md, "Environment variables".`);
  if (!env.UNSUBSCRIBE_SECRET) throw new AdvisoriesError('USAGE', 'UNSUBSCRIBE_SECRET is not set: the service signs and checks every link with it (the same secret notify uses).');
  const webhookSecret = io.env.BOUNCE_WEBHOOK_SECRET || undefined;
  if (webhookSecret !== undefined && webhookSecret.length < 16) throw new AdvisoriesError('USAGE', 'BOUNCE_WEBHOOK_SECRET must be at least 16 characters');

  const store = await openListStore(state, io.env, mail.bounceLimit);
  // Lines of one turn of the event loop go out in one write: a write to a pipe is a system call, and
  // under load many requests finish per turn. `flush` runs before the process stops or exits.
  let pending = '';
  const flush = () => {
    if (!pending) return;
    const text = pending;
    pending = '';
    io.stdout(text);
  };
  const log = (line: string) => {
    if (!pending) setImmediate(flush);
    pending += `${new Date().toISOString()} ${line}\n`;
  };
  process.once('exit', flush);
  let running: Awaited<ReturnType<typeof startService>>;
  try {
    running = await startService({
      config,
      mail,
      service,
      store,
      secret: env.UNSUBSCRIBE_SECRET,
      ...(webhookSecret ? { webhookSecret } : {}),
      ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
      ...(env.DKIM_PRIVATE_KEY ? { dkim: { domainName: env.DKIM_DOMAIN!, keySelector: env.DKIM_SELECTOR!, privateKey: env.DKIM_PRIVATE_KEY } } : {}),
      outbox: join(root, 'outbox', 'confirmations'),
      host: values.host,
      port,
      log,
    });
  } catch (error) {
    flush();
    process.off('exit', flush);
    await store.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new AdvisoriesError('USAGE', `cannot listen on ${values.host}:${port} (${code}): choose another --port or --host`);
    throw error;
  }
  log(`listening on ${running.address} (store: ${store.kind}${env.SMTP_URL ? '' : '; no SMTP_URL, confirmation mails go to outbox/confirmations/'})`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: finishing requests in flight, then closing the store`);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      running.close().then(resolve, resolve);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  log('stopped');
  flush();
  process.off('exit', flush);
  return EXIT.ok;
}
