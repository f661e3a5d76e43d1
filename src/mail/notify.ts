// `advisories notify`, past the command line: keys proven, lock, ledger, transport, one census pass, the
// send passes (most urgent first) under one pacer, and an exit code that tells the truth.
import { AdvisoriesError } from '../core/errors.ts';
import type { Config, MailConfig } from '../core/config.ts';
import type { MailEnv } from './env.ts';
import { renderMail } from '../render/mail.ts';
import { compileMail, type CompiledMail } from '../render/mail-mime.ts';
import type { Material } from '../render/mail-revision.ts';
import type { Templates } from '../render/templates.ts';
import type { Advisory } from '../core/advisory.ts';
import { readFileSync } from 'node:fs';
import { proveDkimKey } from './keys.ts';
import type { LedgerStore, ListStore } from '../list/index.ts';
import { openLedger } from './ledger.ts';
import { duration, Pacer, schedule, type Quota } from './pacer.ts';
import { acquireLock } from './lock.ts';
import { outboxTransport } from './outbox.ts';
import { pgpSigner } from './pgp.ts';
import { mailings, type Due } from './plan.ts';
import { census, connectFirst, sendAll } from './run.ts';
import type { Subscriber } from './subscribers.ts';
import { smtpTransport } from './smtp.ts';
import type { DkimSettings, Transport } from './transport.ts';
import type { RunStats } from './stats.ts';

export interface NotifyInput {
  root: string;
  state: string;
  now: Date;
  advisories: readonly Advisory[];
  config: Config;
  mail: MailConfig;
  templates: Templates;
  env: MailEnv;
  /** Subscribers and ledger (and bounce counts). The caller opens and closes it. */
  store: ListStore;
  /** Who gets mail, streamed afresh per pass: the store's active subscribers, or a CSV (SUBSCRIBERS). */
  subscribers: () => AsyncIterable<Subscriber>;
  dryRun: boolean;
  resendUnknown: boolean;
  requireLedger: boolean;
  fresh: boolean;
  /** Milliseconds the run may take (`--max-duration`, else the config's `maxDuration`). */
  maxDuration?: number;
  /** SMTP_CA_FILE, resolved: extra CA certificates to trust for the SMTP server. */
  caFile?: string;
  out: (text: string) => void;
  progress?: (text: string) => void;
  /** Receives the run's outcome as data (`--format json`); the text on `out` is the same either way. */
  summary?: (s: NotifySummary) => void;
}

const MEANING = { 0: 'all done', 1: 'something failed, is unknown or still pending', 2: 'nothing could be sent' } as const;

/** What a run did (or, dry, would do), for `--format json`. */
export type NotifySummary = { transport: 'smtp' | 'outbox'; exitCode: 0 | 1 | 2; meaning: string } & (
  | {
      dryRun: true;
      total: number;
      groups: { advisory: string; revision: string; kind: string; recipients: number; subject: string }[];
      estimate: { perSecond: number | null; limits: { name: string; limit: number; used: number }[]; runs: number[]; ms: number } | null;
    }
  | {
      dryRun: false;
      total: number;
      advisories: ({ advisory: string; revision: string } & Counts)[];
      totals: Counts;
      stopped: { fatal: boolean; reason: string } | null;
      problems: { state: string; advisory: string; address: string; line: number; reply: string }[];
    }
);
type Counts = { sent: number; skipped: number; failed: number; unknown: number; pending: number };

function counted(stats: RunStats) {
  const advisories = [...stats.rows].map(([key, r]) => {
    const [advisory = '', revision = ''] = key.split(' ');
    return { advisory, revision, sent: r.sent, skipped: r['already sent'], failed: r.failed, unknown: r.unknown, pending: r.pending };
  });
  const totals: Counts = { sent: 0, skipped: 0, failed: 0, unknown: 0, pending: 0 };
  for (const a of advisories) for (const k of Object.keys(totals) as (keyof Counts)[]) totals[k] += a[k];
  return { advisories, totals };
}


const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The provider's limits as windows over the ledger: what went out in the last hour and day counts. */
async function quotas(mail: MailConfig, ledger: LedgerStore, now: Date) {
  const out: (Quota & { window: number })[] = [];
  if (mail.quota.perHour) out.push({ name: 'per hour', limit: mail.quota.perHour, used: await ledger.sentSince(new Date(now.getTime() - HOUR)), window: HOUR });
  if (mail.quota.perDay) out.push({ name: 'per day', limit: mail.quota.perDay, used: await ledger.sentSince(new Date(now.getTime() - DAY)), window: DAY });
  return out;
}

/** Messages per second at most: the pool's rate limit and the provider's per-second quota. */
const rateOf = (mail: MailConfig) => Math.min((mail.rateLimit * 1000) / mail.rateDelta, mail.quota.perSecond ?? Infinity);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Returns the exit code: 0 all done, 1 something failed, is unknown or still pending, 2 nothing could be sent. */
export async function notify(input: NotifyInput): Promise<number> {
  const { env, out } = input;
  const kind = env.SMTP_URL ? 'smtp' : 'outbox';
  // Keys first: a key that cannot sign stops the run before the lock, the ledger or any message.
  const dkimKey = env.DKIM_PRIVATE_KEY ? proveDkimKey(env.DKIM_PRIVATE_KEY) : undefined;
  const sign = env.PGP_PRIVATE_KEY ? await pgpSigner(env.PGP_PRIVATE_KEY, env.PGP_PASSPHRASE) : null;
  let ca: string | undefined;
  if (input.caFile) {
    try {
      ca = readFileSync(input.caFile, 'utf8');
    } catch (error) {
      throw new AdvisoriesError('SETUP', `SMTP_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): it must name a PEM file of CA certificates`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new AdvisoriesError('SETUP', 'SMTP_CA_FILE must name a PEM file of CA certificates');
  }
  const { store } = input;
  // The ledger dates its rows by the run's clock, so that --now also moves the quota windows.
  const startedAt = Date.now();
  const clock = () => new Date(input.now.getTime() + Date.now() - startedAt);
  const ledger = await store.ledger(kind, clock);
  const { imported } = await openLedger(ledger, input.state, input.now);
  if (imported) out(`Took over the ${plural(imported.rows, 'row')} of the old ledger ${imported.path} into the list store.\n`);
  const exists = await ledger.exists();
  const where = `the ${kind === 'smtp' ? 'SMTP' : 'outbox'} ledger in ${store.describe}`;
  if (!exists && input.requireLedger && !input.fresh) {
    throw new AdvisoriesError('SETUP', 
      `no mail ledger: ${where} was never started. Refusing to send, because without it every subscriber would get every advisory again. ` +
        'Restore the state folder or point DATABASE_URL at the right database (see docs/mail.md, "The ledger"), or pass --fresh if this list has really never been mailed.',
    );
  }
  const list = mailings(input.advisories);
  // Several workers may share a PostgreSQL store (claims keep them apart); a SQLite store is one run at a time.
  const lock = input.dryRun || store.kind !== 'sqlite' ? null : acquireLock(input.state);
  if (lock?.staleFrom) out(`Note: took over a stale lock left by process ${lock.staleFrom}, which is no longer running.\n`);
  let transport: Transport | undefined;
  try {
    if (!exists && !input.dryRun) {
      await ledger.create(input.now);
      out(`Started a new ledger: ${where}.\n`);
    }
    const plan = await census(input.subscribers(), list, ledger, input.resendUnknown);
    const cache = new Map<string, Promise<CompiledMail>>();
    const render = (due: Due) => {
      const key = `${due.mailing.revision}:${due.kind}:${due.previous ?? ''}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = (async () => {
          const previous = due.previous ? await ledger.material<Material>(due.previous) : undefined;
          const r = renderMail({ advisory: due.mailing.advisory, config: input.config, mail: input.mail, templates: input.templates, kind: due.kind, previous });
          // Signed and MIME-encoded once here; each subscriber only gets headers and a token spliced in.
          return compileMail(sign ? { ...r, text: await sign(r.text) } : r);
        })();
        cache.set(key, hit);
      }
      return hit;
    };
    const limits = await quotas(input.mail, ledger, input.now);
    const rate = rateOf(input.mail);

    if (input.dryRun) {
      out(`Dry run: nothing is sent or recorded. Would send ${plural(plan.total, 'message')} via ${kind === 'smtp' ? 'SMTP' : 'outbox/'}, most urgent first:\n`);
      const groups: Extract<NotifySummary, { dryRun: true }>['groups'] = [];
      let estimate: Extract<NotifySummary, { dryRun: true }>['estimate'] = null;
      for (const g of plan.groups.values()) {
        const r = await render({ mailing: g.mailing, kind: g.kind });
        groups.push({ advisory: g.mailing.advisory.id, revision: g.mailing.revision.slice(0, 8), kind: g.kind, recipients: g.recipients, subject: r.subject });
        out(`  ${g.mailing.advisory.id}  ${String(g.recipients).padStart(6)} recipient${g.recipients === 1 ? ' ' : 's'}  ${r.subject}\n`);
      }
      if (plan.total > 0 && (limits.length > 0 || Number.isFinite(rate))) {
        const { runs, ms } = schedule(plan.total, rate, limits);
        const stated = [...(Number.isFinite(rate) ? [`${+rate.toFixed(2)}/s`] : []), ...limits.map((q) => `${q.limit} ${q.name} (${q.used} used)`)].join(', ');
        estimate = { perSecond: Number.isFinite(rate) ? rate : null, limits: limits.map(({ name, limit, used }) => ({ name, limit, used })), runs, ms };
        const shown = runs.length > 12 ? `${runs.slice(0, 12).join(', ')}, …` : runs.join(', ');
        out(`At the configured limits (${stated}): ${runs.length === 1 ? 'one run' : `${runs.length} runs of ${shown} messages`}, about ${duration(ms)} in all${runs.length > 1 ? '; each run stops at the quota and the next one continues' : ''}.\n`);
      }
      out(plan.stats.table());
      input.summary?.({ transport: kind, dryRun: true, total: plan.total, groups, estimate, exitCode: 0, meaning: MEANING[0] });
      return 0;
    }

    for (const m of list) await ledger.rememberRevision(m.revision, m.advisory.id, m.material, input.now);
    const dkim: DkimSettings | undefined = dkimKey ? { domainName: env.DKIM_DOMAIN!, keySelector: env.DKIM_SELECTOR!, privateKey: env.DKIM_PRIVATE_KEY! } : undefined;
    transport = env.SMTP_URL ? smtpTransport({ url: env.SMTP_URL, mail: input.mail, ...(dkim ? { dkim } : {}), ...(ca ? { ca } : {}) }) : outboxTransport(`${input.root}/outbox`, dkim);
    out(`Sending ${plural(plan.total, 'message')} via ${transport.describe}.\n`);
    let fatal: string | undefined;
    let stopped: string | undefined;
    let sent = 0;
    if (plan.total > 0) {
      const maxDuration = input.maxDuration ?? input.mail.maxDuration;
      const pacer = new Pacer({ rate, probeInterval: input.mail.probeInterval, deferralBudget: input.mail.deferralBudget, quotas: limits, ...(maxDuration ? { deadline: startedAt + maxDuration, deadlineFrom: input.maxDuration ? '--max-duration' : 'mail.maxDuration' } : {}) });
      const verified = await connectFirst(transport, pacer);
      fatal = verified?.reply;
      stopped = pacer.stopped;
      // Nothing went: every message due stays pending, and the summary (and its JSON) must say so.
      if (fatal || stopped) for (const g of plan.groups.values()) plan.stats.add(g.mailing, 'pending', g.recipients);
      if (!fatal && !stopped) {
        const secret = env.UNSUBSCRIBE_SECRET ?? 'outbox-preview-only';
        const result = await sendAll({ subscribers: input.subscribers, list, ledger, bounced: async (email, reply) => void (await store.noteBounce(email, 'permanent', clock(), reply)), transport, render, mail: input.mail, secret, now: input.now, resendUnknown: input.resendUnknown, retry: { attempts: input.mail.retryAttempts, delayMs: input.mail.retryDelay }, pacer, total: plan.total, groups: plan.groups, stats: plan.stats, progress: input.progress });
        ({ fatal, stopped, sent } = result);
      }
    }
    out(plan.stats.table());
    const totals = { failed: 0, unknown: 0, pending: 0 };
    for (const r of plan.stats.rows.values()) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
    const report = (exitCode: 0 | 1 | 2, halt: { fatal: boolean; reason: string } | null) => {
      const problems = plan.stats.problems.map(({ state, advisory, address, line, reply }) => ({ state, advisory, address, line, reply }));
      input.summary?.({ transport: kind, dryRun: false, total: plan.total, ...counted(plan.stats), stopped: halt, problems, exitCode, meaning: MEANING[exitCode] });
      return exitCode;
    };
    if (fatal) {
      out(`Stopped: ${fatal}. Messages not sent stay pending for the next run; nothing was marked failed.\n`);
      return report(sent === 0 ? 2 : 1, { fatal: true, reason: fatal });
    }
    if (stopped) out(`Stopped early: ${stopped}. ${plural(totals.pending, 'message')} stay pending; the next run continues where this one stopped.\n`);
    if (totals.unknown > 0) out('Unknown: the server may or may not have them. They are not resent; after checking, rerun with --resend-unknown to send them again.\n');
    if (totals.failed > 0 && !stopped) out('Failed: the server refused them for good. In the list store each refusal counts against the address, which is marked bounced and no longer mailed after mail.bounceLimit of them; in a CSV list (SUBSCRIBERS), remove or correct those addresses.\n');
    return report(totals.failed + totals.unknown + totals.pending > 0 ? 1 : 0, stopped ? { fatal: false, reason: stopped } : null);
  } finally {
    transport?.close();
    lock?.release();
  }
}
