// The send loop: subscribers streamed from the CSV, most urgent advisories first (one pass over the list
// per severity), a bounded number of messages in flight, every outcome in the ledger. The pacer paces the
// whole run (deferrals, rate, quotas, time budget); a 4xx for one message alone is retried later in the
// run without holding a sending slot. A fatal transport error stops submitting at once and records
// nothing for the message that hit it.
import { setTimeout as sleep } from 'node:timers/promises';
import { severityRank } from '../core/schema.ts';
import type { MailConfig } from '../core/config.ts';
import { personalise, unsubscribeToken, type MailKind } from '../render/mail.ts';
import type { CompiledMail } from '../render/mail-mime.ts';
import type { Ledger } from './ledger.ts';
import type { Pacer, Ticket } from './pacer.ts';
import { planFor, type Due, type Mailing } from './plan.ts';
import { progressLine, RunStats } from './stats.ts';
import { readSubscribers, type Subscriber } from './subscribers.ts';
import type { Transport } from './transport.ts';

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
export async function census(path: string, list: readonly Mailing[], ledger: Ledger, resendUnknown: boolean): Promise<Census> {
  const groups: Census['groups'] = new Map();
  const stats = new RunStats();
  let total = 0;
  // Keys in sending order: the groups of the most urgent tier first.
  for (const tier of tiers(list)) for (const m of tier) stats.add(m, 'sent', 0);
  const unmailed = ledger.unmailed(list.map((m) => m.advisory.id));
  for await (const sub of readSubscribers(path)) {
    const { due, skipped } = planFor(sub, list, ledger, resendUnknown, unmailed);
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
  path: string;
  list: readonly Mailing[];
  ledger: Ledger;
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
  key: Parameters<Ledger['beginTransmission']>[0];
  attempt: number;
  at: number;
  reply: string;
}

const ASCII = /^[\x20-\x7e]*$/;

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

  function finish(sub: Subscriber, due: Due, key: Parameters<Ledger['beginTransmission']>[0], state: 'sent' | 'failed-permanent' | 'unknown' | 'pending', reply: string) {
    ledger.record({ ...key, state, reply });
    if (state === 'sent') {
      sent++;
      stats.add(due.mailing, 'sent');
    } else stats.trouble(due.mailing, { line: sub.line, address: sub.email, state, reply });
    tick(due);
  }

  async function deliver(sub: Subscriber, due: Due, attempt: number, lastReply?: string) {
    const { mailing } = due;
    const message = personalise(await input.render(due), { email: sub.email, token: unsubscribeToken(input.secret, sub.email), original: due.original }, input.mail, input.now);
    const key = { advisory: mailing.advisory.id, revision: mailing.revision, subscriber: sub.email, messageId: message.messageId };
    if (!transport.international && !ASCII.test(sub.email)) {
      finish(sub, due, key, 'pending', 'not sent: the address has non-ASCII characters, which need SMTPUTF8 (RFC 6531), and the server does not offer it');
      return;
    }
    let reply = lastReply;
    for (;;) {
      const ticket: Ticket | null = fatal ? null : await pacer.acquire();
      if (!ticket || fatal) {
        // Stopped before this message went: it stays pending (a row only if the server had refused it).
        if (reply !== undefined) ledger.record({ ...key, state: 'pending', reply });
        return;
      }
      const outcome = await transport.send(message, () => ledger.beginTransmission(key));
      if (outcome.state === 'fatal') {
        pacer.rejected();
        fatal ??= outcome.reply;
        pacer.stop(outcome.reply);
        return;
      }
      if (outcome.state === 'retry') {
        reply = outcome.reply;
        if (pacer.deferred(ticket, key.subscriber + key.revision, outcome.serverWide === true, outcome.reply)) continue;
        if (attempt < retry.attempts) {
          const at = Date.now() + retry.delayMs * 2 ** (attempt - 1);
          const i = later.findIndex((l) => l.at > at);
          later.splice(i < 0 ? later.length : i, 0, { sub, due, key, attempt: attempt + 1, at, reply });
          return;
        }
        finish(sub, due, key, 'pending', outcome.reply);
        return;
      }
      if (outcome.state === 'failed-permanent') pacer.rejected();
      else pacer.accepted();
      finish(sub, due, key, outcome.state, outcome.reply);
      return;
    }
  }

  const limit = Math.max(2, input.mail.maxConnections * 2);
  const inflight = new Set<Promise<void>>();
  const launch = (p0: Promise<void>) => {
    const p: Promise<void> = p0.finally(() => inflight.delete(p));
    inflight.add(p);
  };
  const room = async () => {
    while (inflight.size >= limit) await Promise.race(inflight);
  };
  const retryDue = async () => {
    while (later.length > 0 && later[0]!.at <= Date.now() && !halted()) {
      await room();
      const l = later.shift()!;
      launch(deliver(l.sub, l.due, l.attempt, l.reply));
    }
  };
  try {
    for (const tier of tiers(input.list)) {
      const unmailed = ledger.unmailed(tier.map((m) => m.advisory.id));
      outer: for await (const sub of readSubscribers(input.path)) {
        for (const due of planFor(sub, tier, ledger, input.resendUnknown, unmailed).due) {
          await retryDue();
          await room();
          if (halted()) break outer;
          launch(deliver(sub, due, 1));
        }
      }
      // This tier's retries before the next, less urgent, tier begins.
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
      if (halted()) break;
    }
    await Promise.all(inflight);
    for (const l of later) ledger.record({ ...l.key, state: 'pending', reply: l.reply });
  } finally {
    ledger.flush();
    if (input.progress && done > 0) input.progress('\n');
  }
  if (halted()) {
    // Everything not settled this run stays pending: counted once, per advisory revision.
    for (const [key, g] of input.groups) {
      const left = g.recipients - (handled.get(key) ?? 0);
      if (left > 0) stats.add(g.mailing, 'pending', left);
    }
  }
  return { ...(fatal ? { fatal } : {}), ...(pacer.stopped && !fatal ? { stopped: pacer.stopped } : {}), sent };
}
