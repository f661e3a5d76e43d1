import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readMailEnv } from '../../mail/env.ts';
import { notify as runNotify } from '../../mail/notify.ts';
import { validateSubscribers } from '../../mail/subscribers.ts';
import { loadTemplates } from '../../publish/templates.ts';
import { publishedAdvisories } from '../../check/project.ts';
import { loadProjectWithHistory } from '../../check/with-history.ts';
import { formatText } from '../report/text.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { acceleration, common, parse } from '../options.ts';

export const usage = 'advisories notify [--dry-run] [--require-ledger | --fresh] [--resend-unknown] [--root DIR] [--state DIR] [--now TIMESTAMP]';

export const help = `Usage: ${usage}

Mails every published advisory not yet sent, and material updates, to the subscriber list, exactly once
per subscriber: the ledger in the state folder remembers what went out. Without SMTP_URL the mail is
written to ROOT/outbox/ as .eml files. Environment: SMTP_URL, SUBSCRIBERS (the CSV list),
UNSUBSCRIBE_SECRET, and optionally DKIM_PRIVATE_KEY, DKIM_SELECTOR, DKIM_DOMAIN, PGP_PRIVATE_KEY,
PGP_PASSPHRASE (see docs/mail.md). Exit 1 when some mail failed or is pending, 2 when nothing could be sent.

  --dry-run         print what would be sent; send and record nothing
  --require-ledger  refuse (exit 2) when the ledger is missing, instead of mailing everything again
  --fresh           start a new ledger: everything published that is not in it is mailed
  --resend-unknown  resend mail whose outcome is unknown (the server never answered)
`;

export async function notify(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    'dry-run': { type: 'boolean' },
    'resend-unknown': { type: 'boolean' },
    'require-ledger': { type: 'boolean' },
    fresh: { type: 'boolean' },
  });
  const options = common(values, io);
  const { root, state, now } = options;
  const { env, problems } = readMailEnv(io.env);
  if (!env) throw new AdvisoriesError('USAGE', `the environment is not set up for mail:\n  ${problems.join('\n  ')}\nSee docs/mail.md, "Environment variables".`);

  // Same dates as the site: `modified` from git.
  const accel = await acceleration(options);
  // The store is only read here: a notify that stops at its set-up checks leaves the state folder untouched.
  const project = await loadProjectWithHistory({ root, now, ...(accel ? { checker: accel.checker } : {}) });
  const setup = project.diagnostics.filter((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
  if (setup.length) throw new AdvisoriesError('USAGE', `the configuration is invalid:\n${formatText(setup)}`);
  const mail = project.config.mail;
  if (!mail) throw new AdvisoriesError('USAGE', 'advisories.config.json has no "mail" section (from, listId, unsubscribeUrl): see docs/mail.md, "Configuration"');
  if (!project.ok) io.stderr('Note: some advisories have errors and are not mailed; run `advisories check`.\n');

  let subscribers: string;
  let label: string;
  if (env.SUBSCRIBERS) {
    subscribers = resolve(io.cwd, env.SUBSCRIBERS);
    label = '$SUBSCRIBERS';
  } else if (!env.SMTP_URL && existsSync(join(root, 'examples/subscribers.csv'))) {
    subscribers = join(root, 'examples/subscribers.csv');
    label = 'examples/subscribers.csv';
    io.stdout('SUBSCRIBERS is not set: using the sample list examples/subscribers.csv; mail goes to outbox/ only.\n');
  } else {
    throw new AdvisoriesError('USAGE', 'SUBSCRIBERS is not set: give the path of the subscriber list (CSV: email,min_severity,versions)');
  }
  const checked = await validateSubscribers(subscribers, label);
  if (checked.diagnostics.length) throw new AdvisoriesError('USAGE', `the subscriber list has problems; nothing was sent:\n${formatText(checked.diagnostics)}`);

  return await runNotify({
    root,
    state,
    now,
    advisories: publishedAdvisories(project),
    config: project.config,
    mail,
    templates: await loadTemplates(root),
    env,
    subscribers,
    dryRun: Boolean(values['dry-run']),
    resendUnknown: Boolean(values['resend-unknown']),
    requireLedger: Boolean(values['require-ledger']),
    fresh: Boolean(values.fresh),
    out: io.stdout,
    progress: io.isTTY ? io.stdout : undefined,
  });
}
