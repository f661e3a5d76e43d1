// One pace for the whole run. A server that defers (a 421, a dropped or hung connection, or a run of 4xx
// answers across messages) pauses every sender together: one shared back-off, then a single message goes
// alone as the probe; once the server accepts again, sending resumes at half the rate it had and speeds up
// again step by step while the server keeps accepting (up to the configured rate). Pauses draw
// on the deferral budget; when it is spent, or a quota or the time budget is reached, the run stops
// cleanly and what was not sent stays pending for the next run.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Quota {
  /** For the summary, e.g. "per day". */
  name: string;
  limit: number;
  /** Already handed to the server in this window (the ledger's `sentSince`). */
  used: number;
}

export interface PacerOptions {
  /** Messages per second at most; Infinity for none. */
  rate: number;
  probeInterval: number;
  deferralBudget: number;
  /** The clock's time after which nothing new starts (the time budget). */
  deadline?: number;
  /** Where the time budget was set, for the summary: `--max-duration` or the config's `mail.maxDuration`. */
  deadlineFrom?: string;
  quotas: Quota[];
  /** Distinct messages refused with 4xx in a row, with no success between, that mean a deferral. */
  streak?: number;
  /** The clock; a simulated one lets a test run the default minutes-long budgets in no time. */
  clock?: Clock;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/** What `acquire` hands out: whether this message is the probe after a pause. */
export interface Ticket {
  probe: boolean;
}

const MAX_BACKOFF_STEPS = 8;
/** The pace after a deferral when the run had no measurable rate yet (messages per second). */
const CAUTIOUS_RATE = 10;
/** After a slow-down: a quarter faster after every this many accepted messages. */
const RAMP_EVERY = 50;

/** "250ms", "1.5s", "4m05s", "2h10m", "2d03h": for the summary and the dry run's estimate. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${two((ms % 60_000) / 1000)}s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h${two((ms % 3_600_000) / 60_000)}m`;
  return `${Math.floor(ms / 86_400_000)}d${two((ms % 86_400_000) / 3_600_000)}h`;
}

export class Pacer {
  /** Why the run stopped early (one line), once it has. */
  stopped?: string;
  deferrals = 0;
  private phase: 'open' | 'paused' | 'probing' = 'open';
  private pausedAt = 0;
  private resumeAt = 0;
  private backoff: number;
  private spent = 0;
  private interval: number;
  private readonly fastest: number;
  private next = 0;
  private reserved = 0;
  private readonly refusedInARow = new Set<string>();
  private settled: Promise<void> = Promise.resolve();
  private release = () => {};
  private readonly clock: Clock;
  private openedAt: number;
  private acceptedSinceOpen = 0;
  private lastReply = '';

  constructor(private readonly o: PacerOptions) {
    this.clock = o.clock ?? realClock;
    this.openedAt = this.clock.now();
    this.backoff = o.probeInterval;
    this.interval = Number.isFinite(o.rate) && o.rate > 0 ? 1000 / o.rate : 0;
    this.fastest = this.interval;
  }

  /** Messages per second now (after slow-downs); Infinity when unlimited. */
  get rate(): number {
    return this.interval > 0 ? 1000 / this.interval : Infinity;
  }

  /** Waits until a message may start; null when the run has stopped and nothing more may be sent. */
  async acquire(): Promise<Ticket | null> {
    let slotted = false;
    for (;;) {
      if (this.stopped) return null;
      const now = this.clock.now();
      if (this.o.deadline !== undefined && now >= this.o.deadline) {
        this.stop(`the time budget (${this.o.deadlineFrom ?? '--max-duration'}) is spent`);
        return null;
      }
      if (this.phase === 'probing') {
        await this.settled;
        continue;
      }
      if (this.phase === 'paused') {
        const left = this.o.deferralBudget - this.spent - (now - this.pausedAt);
        if (left <= 0) {
          this.stop(`the server kept deferring for the whole deferral budget of ${duration(this.o.deferralBudget)} (last answer: ${this.lastReply})`);
          return null;
        }
        if (now < this.resumeAt) {
          await this.clock.sleep(Math.max(1, Math.min(this.resumeAt - now, left, (this.o.deadline ?? Infinity) - now)));
          continue;
        }
        if (this.quotaReached()) return null;
        this.phase = 'probing';
        this.settled = new Promise((resolve) => (this.release = resolve));
        this.reserved++;
        return { probe: true };
      }
      if (this.quotaReached()) return null;
      if (!slotted && this.interval > 0) {
        const slot = Math.max(now, this.next);
        this.next = slot + this.interval;
        slotted = true;
        if (slot - now >= 1) {
          await this.clock.sleep(slot - now);
          continue;
        }
      }
      this.reserved++;
      return { probe: false };
    }
  }

  /** The server took the message (`handed`: or may have: an unknown outcome counts for the quotas). */
  accepted(handed = true) {
    this.reserved--;
    if (handed) for (const q of this.o.quotas) q.used++;
    this.refusedInARow.clear();
    this.acceptedSinceOpen++;
    if (this.phase !== 'open') this.resume();
    else if (this.interval > this.fastest && this.acceptedSinceOpen % RAMP_EVERY === 0) {
      this.interval /= 1.25;
      if (this.interval < this.fastest || this.interval < 0.05) this.interval = this.fastest;
    }
  }

  /** A permanent refusal of this message: not counted by the provider, but the server is answering again. */
  rejected() {
    this.answered();
  }

  /** The server answered without taking a message (the first connection's greeting): it is back. */
  answered() {
    this.reserved--;
    this.refusedInARow.clear();
    if (this.phase !== 'open') this.resume();
  }

  /**
   * The server said "later" (4xx) or the connection failed before the message went. True when the run as
   * a whole is now deferring: the message waits for it instead of spending its own retries.
   */
  deferred(ticket: Ticket, key: string, serverWide: boolean, reply: string): boolean {
    this.reserved--;
    this.lastReply = reply;
    if (this.phase === 'probing') {
      if (!ticket.probe) return true;
      this.backoff = Math.min(this.backoff * 2, this.o.probeInterval * MAX_BACKOFF_STEPS);
      this.phase = 'paused';
      this.resumeAt = this.clock.now() + this.backoff;
      this.release();
      return true;
    }
    if (this.phase === 'paused') return true;
    this.refusedInARow.add(key);
    if (!serverWide && this.refusedInARow.size < (this.o.streak ?? 3)) return false;
    this.pause();
    return true;
  }

  stop(reason: string) {
    this.stopped ??= reason;
    this.release();
  }

  private pause() {
    const now = this.clock.now();
    this.deferrals++;
    this.phase = 'paused';
    this.pausedAt = now;
    this.backoff = this.o.probeInterval;
    this.resumeAt = now + this.backoff;
    this.refusedInARow.clear();
    // The rate the server was taking before it deferred (when enough went to tell): the new pace is half of it.
    const seconds = Math.max(0.001, (now - this.openedAt) / 1000);
    const observed = this.acceptedSinceOpen >= 10 ? this.acceptedSinceOpen / seconds : Infinity;
    const base = Math.min(this.rate, observed);
    this.interval = 1000 / (Number.isFinite(base) ? Math.max(1, base / 2) : CAUTIOUS_RATE);
  }

  private resume() {
    const now = this.clock.now();
    this.spent += now - this.pausedAt;
    this.phase = 'open';
    this.backoff = this.o.probeInterval;
    this.openedAt = now;
    this.acceptedSinceOpen = 0;
    this.next = now + this.interval;
    this.release();
  }

  private quotaReached(): boolean {
    const q = this.o.quotas.find((x) => x.used + this.reserved >= x.limit);
    if (!q) return false;
    // Messages in flight hold their place: one of them may yet be refused, and its place stay unused this run.
    this.stop(`the quota of ${q.limit} messages ${q.name} is reached`);
    return true;
  }
}

/**
 * How a send of `total` messages splits into runs at these limits, and how long it takes in all: for
 * `notify --dry-run`. Quota windows are taken as starting now (the ledger's recent sends leave them first).
 */
export function schedule(total: number, rate: number, quotas: readonly { name: string; limit: number; used: number; window: number }[]) {
  const perMessage = Number.isFinite(rate) && rate > 0 ? 1000 / rate : 0;
  const left = quotas.map((q) => Math.max(0, q.limit - q.used));
  const opens = quotas.map(() => 0);
  const runs: number[] = [];
  let t = 0;
  let remaining = total;
  while (remaining > 0) {
    const cap = Math.min(remaining, ...left);
    if (cap > 0) {
      runs.push(cap);
      remaining -= cap;
      t += cap * perMessage;
      left.forEach((_, i) => (left[i]! -= cap));
      if (remaining === 0) break;
    }
    // Wait for the next window that frees room: the exhausted one that reopens first.
    let soonest = Infinity;
    quotas.forEach((q, i) => {
      if (left[i] === 0) soonest = Math.min(soonest, Math.max(t, opens[i]! + q.window));
    });
    t = soonest;
    quotas.forEach((q, i) => {
      if (left[i] === 0 && opens[i]! + q.window <= t) {
        left[i] = q.limit;
        opens[i] = t;
      }
    });
  }
  return { runs, ms: Math.ceil(t) };
}
