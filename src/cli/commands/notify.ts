import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readMailEnv } from '../../mail/env.ts';
import { notify as runNotify, type NotifySummary } from '../../mail/notify.ts';
import { validateSubscribers, type Subscriber } from '../../mail/subscribers.ts';
import { csvStillSubscribed } from '../../mail/list-csv.ts';
import { openListStore } from '../store.ts';
import type { Subscriber as ListSubscriber } from '../../list/index.ts';
import { loadTemplates } from '../../publish/templates.ts';
import { publishedAdvisories } from '../../check/project.ts';
import { loadProjectWithHistory } from '../../check/with-history.ts';
import { formatText } from '../report/text.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { acceleration, common, formatOf, FORMAT_OPTION, parse, sealKeys } from '../options.ts';
import { requireOpened } from '../seal-files.ts';

export const usage = 'advisories notify [--root DIR] [--state DIR] [--dry-run] [--now TIMESTAMP] [--resend-unknown] [--require-ledger] [--fresh] [--max-duration 45m] [--format text|json]';

/** "90s", "45m", "2h", "1500ms" or plain seconds, in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!(ms >= 1)) throw new AdvisoriesError('USAGE', `--max-duration "${text}" is not a duration; write e.g. --max-duration 45m (units ms, s, m, h; plain numbers are seconds)`);
  return Math.round(ms);
}

export const help = `Usage: ${usage}

Mails every published advisory not yet sent, and material updates, to the subscribers, exactly once
per subscriber, most urgent first, within the provider's limits: the list store (SQLite in the state folder,
or PostgreSQL with DATABASE_URL) remembers what went out. Without SMTP_URL the mail is written to
ROOT/outbox/ as .eml files. Environment: SMTP_URL, DATABASE_URL, SUBSCRIBERS (a CSV list for this run
instead of the store's), UNSUBSCRIBE_SECRET, and optionally DKIM_PRIVATE_KEY, DKIM_SELECTOR, DKIM_DOMAIN,
PGP_PRIVATE_KEY, PGP_PASSPHRASE (see docs/mail.md). Exit 1 when anything is pending, unknown or failed
after the run, 2 when nothing could be sent.

  --dry-run          print what would be sent and how long it takes at the configured limits; send nothing
  --require-ledger   refuse (exit 2) when the ledger is missing, instead of mailing everything again
  --fresh            start a new ledger: everything published that is not in it is mailed
  --resend-unknown   resend mail whose outcome is unknown (the server never answered)
  --max-duration D   stop cleanly after D (e.g. 45m), before a CI job's own timeout; the rest stays pending
  --format text|json the table (default), or JSON on stdout: per advisory revision the counts sent, skipped
                     (already sent), failed, unknown and pending, the totals, why the run stopped early, the
                     exit code and its meaning; with --dry-run the groups, recipients and duration estimate.
                     The human notes then go to stderr
`;

export async function notify(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    'dry-run': { type: 'boolean' },
    'resend-unknown': { type: 'boolean' },
    'require-ledger': { type: 'boolean' },
    fresh: { type: 'boolean' },
    'max-duration': { type: 'string' },
    ...FORMAT_OPTION,
  });
  const format = formatOf(values.format, ['text', 'json'] as const);
  // In JSON mode stdout carries the JSON alone: notes and the table go to stderr, no progress line.
  const say = format === 'json' ? io.stderr : io.stdout;
  let summary: NotifySummary | undefined;
  const maxDuration = values['max-duration'] === undefined ? undefined : parseDuration(values['max-duration']);
  const options = common(values, io);
  const { root, state, now } = options;
  const { env, problems } = readMailEnv(io.env);
  if (!env) throw new AdvisoriesError('USAGE', `the environment is not set up for mail:\n  ${problems.join('\n  ')}\nSee docs/mail.md, "Environment variables".`);

  // Same dates as the site: `modified` from git.
  const accel = await acceleration(options, { readOnly: true });
  // The store is only read here: a notify that stops at its set-up checks leaves the state folder untouched.
  const project = await loadProjectWithHistory({ root, now, ...accel?.project, keys: sealKeys(io) }).finally(() => accel?.close());
  requireOpened(project.diagnostics);
  const setup = project.diagnostics.filter((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
  if (setup.length) throw new AdvisoriesError('USAGE', `the configuration is invalid:\n${formatText(setup)}`);
  const mail = project.config.mail;
  if (!mail) throw new AdvisoriesError('USAGE', 'advisories.config.json has no "mail" section (from, listId, unsubscribeUrl): see docs/mail.md, "Configuration"');
  if (!project.ok) io.stderr('Note: some advisories have errors and are not mailed; run `advisories check`.\n');

  // A CSV in SUBSCRIBERS is this run's list, as before the store (a project may keep its list a secret).
  let csv = env.SUBSCRIBERS ? { path: resolve(io.cwd, env.SUBSCRIBERS), label: '$SUBSCRIBERS' } : undefined;
  if (csv) {
    const checked = await validateSubscribers(csv.path, csv.label);
    if (checked.diagnostics.length) throw new AdvisoriesError('USAGE', `the subscriber list has problems; nothing was sent:\n${formatText(checked.diagnostics)}`);
  }
  const store = await openListStore(state, io.env, mail.bounceLimit);
  try {
    if (!csv && (await store.counts()).active === 0) {
      const sample = join(root, 'examples/subscribers.csv');
      if (!env.SMTP_URL && existsSync(sample)) {
        csv = { path: sample, label: 'examples/subscribers.csv' };
        say('The list store has no active subscribers and SUBSCRIBERS is not set: using the sample list examples/subscribers.csv; mail goes to outbox/ only.\n');
      } else {
        say(`The list in ${store.describe} has no active subscribers: import one with \`advisories subscribers import FILE\`, or set SUBSCRIBERS to a CSV.\n`);
      }
    }
    const from = csv;
    const subscribers = from ? () => csvStillSubscribed(store, from.path) : () => fromStore(store.active());
    const code = await runNotify({
    root,
    state,
    now,
    advisories: publishedAdvisories(project),
    config: project.config,
    mail,
    templates: await loadTemplates(root),
    env,
    store,
    subscribers,
    dryRun: Boolean(values['dry-run']),
    resendUnknown: Boolean(values['resend-unknown']),
    requireLedger: Boolean(values['require-ledger']),
    fresh: Boolean(values.fresh),
    ...(maxDuration ? { maxDuration } : {}),
    ...(env.SMTP_CA_FILE ? { caFile: resolve(io.cwd, env.SMTP_CA_FILE) } : {}),
    out: say,
    progress: io.isTTY && format === 'text' ? io.stdout : undefined,
    summary: (s) => (summary = s),
  });
    if (format === 'json' && summary) io.stdout(JSON.stringify(summary, null, 2) + '\n');
    return code;
  } finally {
    await store.close();
  }
}

/** The store's subscribers in the shape notify plans with (no CSV line: reports name the address alone). */
async function* fromStore(active: AsyncIterable<ListSubscriber>): AsyncGenerator<Subscriber> {
  for await (const s of active) yield { email: s.email, min_severity: s.minSeverity, versions: s.versions, line: 0 };
}
