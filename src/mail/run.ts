// The send loop: subscribers streamed from the CSV, a bounded number of messages in flight, throttling
// answered with back-off inside the run, every outcome in the ledger. A fatal transport error stops
// submitting at once and records nothing for the message that hit it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { MailConfig } from '../core/config.ts';
import { personalise, unsubscribeToken, type MailKind } from '../render/mail.ts';
import type { CompiledMail } from '../render/mail-mime.ts';
import type { Ledger } from './ledger.ts';
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

/** A pass over the list that decides without sending: the dry run's report and the progress total. */
export async function census(path: string, list: readonly Mailing[], ledger: Ledger, resendUnknown: boolean): Promise<Census> {
  const groups: Census['groups'] = new Map();
  const stats = new RunStats();
  let total = 0;
  const unmailed = ledger.unmailed(list.map((m) => m.advisory.id));
  for await (const sub of readSubscribers(path)) {
    const { due, skipped } = planFor(sub, list, ledger, resendUnknown, unmailed);
    for (const [m, why] of skipped) stats.skip(m, why);
    for (const d of due) {
      const key = `${d.mailing.revision}:${d.kind}`;
      const g = groups.get(key) ?? { mailing: d.mailing, kind: d.kind, recipients: 0 };
      g.recipients++;
      groups.set(key, g);
      total++;
    }
  }
  return { total, groups, stats };
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
  total: number;
  stats: RunStats;
  progress?: (line: string) => void;
}

export async function sendAll(input: SendInput): Promise<{ fatal?: string }> {
  const { ledger, transport, stats, retry } = input;
  let fatal: string | undefined;
  let done = 0;
  const started = Date.now();
  let drawn = 0;
  const tick = () => {
    done++;
    if (input.progress && (Date.now() - drawn > 200 || done === input.total)) {
      drawn = Date.now();
      input.progress(progressLine(done, input.total, started, drawn));
    }
  };

  async function deliver(sub: Subscriber, due: Due) {
    const { mailing } = due;
    const message = personalise(await input.render(due), { email: sub.email, token: unsubscribeToken(input.secret, sub.email), original: due.original }, input.mail, input.now);
    const key = { advisory: mailing.advisory.id, revision: mailing.revision, subscriber: sub.email, messageId: message.messageId };
    for (let attempt = 1; ; attempt++) {
      if (fatal) return;
      const outcome = await transport.send(message, () => ledger.beginTransmission(key));
      if (outcome.state === 'fatal') {
        fatal ??= outcome.reply;
        return;
      }
      if (outcome.state === 'retry' && attempt < retry.attempts) {
        await sleep(retry.delayMs * 2 ** (attempt - 1));
        continue;
      }
      const state = outcome.state === 'retry' ? 'pending' : outcome.state;
      ledger.record({ ...key, state, reply: outcome.reply });
      if (state === 'sent') stats.add(mailing, 'sent');
      else stats.trouble(mailing, { line: sub.line, address: sub.email, state, reply: outcome.reply });
      tick();
      return;
    }
  }

  const limit = Math.max(2, input.mail.maxConnections * 2);
  const inflight = new Set<Promise<void>>();
  try {
    const unmailed = ledger.unmailed(input.list.map((m) => m.advisory.id));
    outer: for await (const sub of readSubscribers(input.path)) {
      for (const due of planFor(sub, input.list, ledger, input.resendUnknown, unmailed).due) {
        while (inflight.size >= limit) await Promise.race(inflight);
        if (fatal) break outer;
        const p: Promise<void> = deliver(sub, due).finally(() => inflight.delete(p));
        inflight.add(p);
      }
    }
    await Promise.all(inflight);
  } finally {
    ledger.flush();
    if (input.progress && done > 0) input.progress('\n');
  }
  return fatal ? { fatal } : {};
}
