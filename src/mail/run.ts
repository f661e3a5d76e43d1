// The send loop: subscribers streamed from the list store (or a CSV), most urgent advisories first (one
// pass over the list per severity), a bounded number of messages in flight, every outcome in the ledger. The pacer paces the
// whole run (deferrals, rate, quotas, time budget); a 4xx for one message alone is retried later in the
// run without holding a sending slot. A fatal transport error stops submitting at once and records
// nothing for the message that hit it. Each pair is sent under its claim (see ledger.ts): a pair another
// worker holds is left for the end of the tier, then waited for and sent only if that worker did not.
import { setTimeout as sleep } from 'node:timers/promises';
import { severityRank } from '../core/schema.ts';
import type { MailConfig } from '../core/config.ts';
import { personalise, unsubscribeToken, type MailKind } from '../render/mail.ts';
import type { CompiledMail } from '../render/mail-mime.ts';
import type { DeliveryKey, DeliveryRow, LedgerStore } from '../list/index.ts';
import type { Pacer, Ticket } from './pacer.ts';
import { plans, type Due, type Mailing, type Skip } from './plan.ts';
import { progressLine, RunStats } from './stats.ts';
import type { Subscriber } from './subscribers.ts';
import type { SendOutcome, Transport } from './transport.ts';

export interface Retry {
  /** Tries per message within one run (first try included). */
  attempts: number;
  /** Back-off before the 2nd try; doubled for each further one. */
  delayMs: number;
}

export interface Census {
  total: number;
  /** Per mailing and kind: subject line material for --dry-run. */
  groups: Map<string, { mailing: Mailing; kind: MailKind; recipients: number }>;
  stats: RunStats;
}

const rank = (m: Mailing) => severityRank(m.advisory.severity);
const groupKey = (d: Pick<Due, 'mailing' | 'kind'>) => `${d.mailing.revision}:${d.kind}`;

/**
 * The mailings by urgency: critical, then high, medium, low; within one severity the newest first, so a
 * new critical advisory never waits behind older ones.
 */
export function tiers(list: readonly Mailing[]): Mailing[][] {
  const sorted = [...list].sort((a, b) => rank(a) - rank(b) || Date.parse(b.advisory.published) - Date.parse(a.advisory.published));
  const out: Mailing[][] = [];
  for (const m of sorted) {
    const last = out.at(-1);
    if (last && rank(last[0]!) === rank(m)) last.push(m);
    else out.push([m]);
  }
  return out;
}

/** A pass over the list that decides without sending: the dry run's report and the progress total. */
export async function census(subscribers: AsyncIterable<Subscriber>, list: readonly Mailing[], ledger: LedgerStore, resendUnknown: boolean): Promise<Census> {
  const groups: Census['groups'] = new Map();
  const stats = new RunStats();
  let total = 0;
  for await (const { due, skipped } of plans(subscribers, list, ledger, resendUnknown)) {
    for (const [m, why] of skipped) stats.skip(m, why);
    for (const d of due) {
      const key = groupKey(d);
      const g = groups.get(key) ?? { mailing: d.mailing, kind: d.kind, recipients: 0 };
      g.recipients++;
      groups.set(key, g);
      total++;
    }
  }
  const ordered: Census['groups'] = new Map([...groups].sort(([, a], [, b]) => rank(a.mailing) - rank(b.mailing)));
  return { total, groups: ordered, stats };
}

export interface SendInput {
  /** The subscribers, streamed afresh for each pass (one per urgency tier). */
  subscribers: () => AsyncIterable<Subscriber>;
  list: readonly Mailing[];
  ledger: LedgerStore;
  /** A permanent refusal (5xx) of this address: counted against it in the list (bounces). */
  bounced?: (email: string, reply: string) => Promise<void>;
  transport: Transport;
  render: (due: Due) => Promise<CompiledMail>;
  mail: MailConfig;
  secret: string;
  now: Date;
  resendUnknown: boolean;
  retry: Retry;
  pacer: Pacer;
  total: number;
  /** Recipients per group (census): what is left of each when the run stops early is counted pending. */
  groups: Census['groups'];
  stats: RunStats;
  progress?: (line: string) => void;
}

interface Later {
  sub: Subscriber;
  due: Due;
  key: DeliveryKey;
  attempt: number;
  at: number;
  reply: string;
}

const ASCII = /^[\x20-\x7e]*$/;

/** Whether a pair's fresh row says it is settled already (by another worker, or an earlier run). */
function settled(row: DeliveryRow | undefined, resendUnknown: boolean): Skip | undefined {
  if (row?.state === 'sent') return 'already-sent';
  if (row?.state === 'failed-permanent') return 'failed-earlier';
  if (row?.state === 'unknown' && !resendUnknown) return 'unknown-earlier';
  return undefined;
}

/**
 * The run's first connection, which says what the server offers: a deferral there (a 421 greeting) is
 * waited out on the pacer like one later in the run. Null when the server answered; the pacer's `stopped`
 * says why when it never did within the budgets.
 */
export async function connectFirst(transport: Transport, pacer: Pacer): Promise<SendOutcome | null> {
  for (;;) {
    const ticket = await pacer.acquire();
    if (!ticket) return null;
    const outcome = await transport.verify();
    if (outcome?.state !== 'retry') {
      pacer.answered();
      return outcome;
    }
    pacer.deferred(ticket, 'first connection', true, outcome.reply);
  }
}

export async function sendAll(input: SendInput): Promise<{ fatal?: string; stopped?: string; sent: number }> {
  const { ledger, transport, stats, retry, pacer } = input;
  let fatal: string | undefined;
  let done = 0;
  let sent = 0;
  const handled = new Map<string, number>();
  const started = Date.now();
  let drawn = 0;
  const tick = (due: Due) => {
    done++;
    handled.set(groupKey(due), (handled.get(groupKey(due)) ?? 0) + 1);
    if (input.progress && (Date.now() - drawn > 200 || done === input.total)) {
      drawn = Date.now();
      input.progress(progressLine(done, input.total, started, drawn));
    }
  };
  const halted = () => fatal !== undefined || pacer.stopped !== undefined;
  // Messages refused for now on their own, waiting for their next try: sorted by when it is due.
  const later: Later[] = [];

  // Pairs another worker held when we came to them: waited for at the end of the tier.
  let deferred: { sub: Subscriber; due: Due }[] = [];

  async function finish(sub: Subscriber, due: Due, key: DeliveryKey, state: 'sent' | 'failed-permanent' | 'unknown' | 'pending', reply: string) {
    await ledger.record({ ...key, state, reply });
    if (state === 'failed-permanent') await input.bounced?.(sub.email, reply);
    if (state === 'sent') {
      sent++;
      stats.add(due.mailing, 'sent');
    } else stats.trouble(due.mailing, { line: sub.line, address: sub.email, state, reply });
    tick(due);
  }

  /** Claims the pair, then delivers it unless it turns out settled; `wait`: for a pair deferred earlier. */
  async function claimed(sub: Subscriber, due: Due, wait: boolean) {
    const pair = { revision: due.mailing.revision, subscriber: sub.email };
    const claim = await ledger.claim(pair, wait);
    if (!claim.taken) {
      deferred.push({ sub, due });
      return;
    }
    let keep = false;
    try {
      const done = settled(claim.row, input.resendUnknown);
      if (done) {
        stats.skip(due.mailing, done);
        tick(due);
        return;
      }
      keep = await deliver(sub, due, 1);
    } finally {
      if (!keep) await ledger.release(pair);
    }
  }

  /** Returns true when the pair waits for a later try in this run (its claim is kept until then). */
  async function deliver(sub: Subscriber, due: Due, attempt: number, lastReply?: string): Promise<boolean> {
    const { mailing } = due;
    const message = personalise(await input.render(due), { email: sub.email, token: unsubscribeToken(input.secret, sub.email), original: due.original }, input.mail, input.now);
    const key = { advisory: mailing.advisory.id, revision: mailing.revision, subscriber: sub.email, messageId: message.messageId };
    if (!transport.international && !ASCII.test(sub.email)) {
      await finish(sub, due, key, 'pending', 'not sent: the address has non-ASCII characters, which need SMTPUTF8 (RFC 6531), and the server does not offer it');
      return false;
    }
    let reply = lastReply;
    for (;;) {
      const ticket: Ticket | null = fatal ? null : await pacer.acquire();
      if (!ticket || fatal) {
        // Stopped before this message went: it stays pending (a row only if the server had refused it).
        if (reply !== undefined) await ledger.record({ ...key, state: 'pending', reply });
        return false;
      }
      const outcome = await transport.send(message, () => ledger.beginTransmission(key));
      if (outcome.state === 'fatal') {
        pacer.rejected();
        fatal ??= outcome.reply;
        pacer.stop(outcome.reply);
        return false;
      }
      if (outcome.state === 'retry') {
        reply = outcome.reply;
        if (pacer.deferred(ticket, key.subscriber + key.revision, outcome.serverWide === true, outcome.reply)) continue;
        if (attempt < retry.attempts) {
          const at = Date.now() + retry.delayMs * 2 ** (attempt - 1);
          const i = later.findIndex((l) => l.at > at);
          later.splice(i < 0 ? later.length : i, 0, { sub, due, key, attempt: attempt + 1, at, reply });
          return true;
        }
        await finish(sub, due, key, 'pending', outcome.reply);
        return false;
      }
      if (outcome.state === 'failed-permanent') pacer.rejected();
      else pacer.accepted();
      await finish(sub, due, key, outcome.state, outcome.reply);
      return false;
    }
  }

  /** A later try of a pair whose claim this run kept. */
  async function retrying(l: Later) {
    const pair = { revision: l.key.revision, subscriber: l.key.subscriber };
    let keep = false;
    try {
      keep = await deliver(l.sub, l.due, l.attempt, l.reply);
    } finally {
      if (!keep) await ledger.release(pair);
    }
  }

  const limit = Math.max(2, input.mail.maxConnections * 2);
  const inflight = new Set<Promise<void>>();
  // A failure of the store itself (not of a message) stops the run and is thrown once everything in flight settled.
  let failure: { error: unknown } | undefined;
  const launch = (p0: Promise<void>) => {
    const p: Promise<void> = p0
      .catch((error: unknown) => {
        failure ??= { error };
        fatal ??= error instanceof Error ? error.message : String(error);
        pacer.stop(fatal);
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };
  const room = async () => {
    while (inflight.size >= limit) await Promise.race(inflight);
  };
  const retryDue = async () => {
    while (later.length > 0 && later[0]!.at <= Date.now() && !halted()) {
      await room();
      const l = later.shift()!;
      launch(retrying(l));
    }
  };
  try {
    const drain = async () => {
      while (!halted() && (later.length > 0 || inflight.size > 0)) {
        await retryDue();
        if (later.length === 0) {
          if (inflight.size > 0) await Promise.race(inflight);
          continue;
        }
        const wake = new AbortController();
        await Promise.race([sleep(Math.max(1, later[0]!.at - Date.now()), undefined, { signal: wake.signal }).catch(() => {}), ...inflight]);
        wake.abort();
      }
      await Promise.all(inflight);
    };
    for (const tier of tiers(input.list)) {
      outer: for await (const { sub, due: dues } of plans(input.subscribers(), tier, ledger, input.resendUnknown)) {
        for (const due of dues) {
          await retryDue();
          await room();
          if (halted()) break outer;
          launch(claimed(sub, due, false));
        }
      }
      // This tier's retries, then the pairs other workers held, before the next, less urgent, tier begins.
      await drain();
      while (deferred.length > 0 && !halted()) {
        const waiting = deferred;
        deferred = [];
        for (const { sub, due } of waiting) {
          await room();
          if (halted()) break;
          launch(claimed(sub, due, true));
        }
        await drain();
      }
      if (halted()) break;
    }
    await Promise.all(inflight);
    for (const l of later) {
      await ledger.record({ ...l.key, state: 'pending', reply: l.reply });
      await ledger.release({ revision: l.key.revision, subscriber: l.key.subscriber });
    }
  } finally {
    if (input.progress && done > 0) input.progress('\n');
  }
  if (failure) throw failure.error;
  if (halted()) {
    // Everything not settled this run stays pending: counted once, per advisory revision.
    for (const [key, g] of input.groups) {
      const left = g.recipients - (handled.get(key) ?? 0);
      if (left > 0) stats.add(g.mailing, 'pending', left);
    }
  }
  return { ...(fatal ? { fatal } : {}), ...(pacer.stopped && !fatal ? { stopped: pacer.stopped } : {}), sent };
}
