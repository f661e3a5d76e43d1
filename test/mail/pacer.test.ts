// The pacer on its own: the shared back-off, the slower pace after it, quotas, and the dry run's schedule.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/core/config.ts';
import { duration, Pacer, schedule, type Clock, type Ticket } from '../../src/mail/pacer.ts';

/** Simulated time: sleeps wake in order of their due time, as fast as the event loop allows. */
function simulatedClock() {
  let t = 0;
  const timers: { at: number; wake: () => void }[] = [];
  const clock: Clock = { now: () => t, sleep: (ms) => new Promise<void>((wake) => timers.push({ at: t + ms, wake })) };
  /** Runs `work` to its end, advancing the clock to the next timer whenever everything waits. */
  async function run<T>(work: Promise<T>): Promise<T> {
    let finished = false;
    const result = work.finally(() => (finished = true));
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      if (finished) break;
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) throw new Error('simulation stuck: nothing waits on the clock');
      t = Math.max(t, next.at);
      next.wake();
    }
    return result;
  }
  return { clock, run, now: () => t };
}

/** The mail section's defaults, as a project that sets none of the pacing keys gets them. */
const defaults = ConfigSchema.shape.mail.unwrap().parse({ from: 'a@example.com', listId: 'List <list.example.com>', unsubscribeUrl: 'https://example.com/u?token={token}' });

describe('Pacer', () => {
  it('pauses everyone on a server-wide deferral, lets one probe through, and resumes at half the pace', async () => {
    const pacer = new Pacer({ rate: 1000, probeInterval: 20, deferralBudget: 10_000, quotas: [] });
    const first = (await pacer.acquire())!;
    expect(first).toEqual({ probe: false });
    expect(pacer.deferred(first, 'a', true, '421 busy')).toBe(true);
    // Two senders wait together: the first to wake is the probe, the other waits for its answer.
    const tickets: (Ticket | null)[] = [];
    const both = [pacer.acquire(), pacer.acquire()].map((p) => p.then((t) => void tickets.push(t)));
    await Promise.race(both);
    expect(tickets).toEqual([{ probe: true }]);
    await new Promise((r) => setTimeout(r, 30));
    expect(tickets).toHaveLength(1);
    pacer.accepted();
    await Promise.all(both);
    expect(tickets).toEqual([{ probe: true }, { probe: false }]);
    expect(pacer.rate).toBeLessThanOrEqual(500);
    expect(pacer.deferrals).toBe(1);
    // And speeds up again while the server keeps accepting, never past the configured rate.
    const slow = pacer.rate;
    for (let i = 0; i < 50; i++) pacer.accepted();
    expect(pacer.rate).toBeGreaterThan(slow);
    for (let i = 0; i < 2000; i++) pacer.accepted();
    expect(pacer.rate).toBe(1000);
  });

  it('ends a deferral when the probe is refused for good (the server answers again), instead of waiting on it', async () => {
    const pacer = new Pacer({ rate: Infinity, probeInterval: 10, deferralBudget: 10_000, quotas: [] });
    pacer.deferred((await pacer.acquire())!, 'a', true, '421');
    const probe = (await pacer.acquire())!;
    expect(probe.probe).toBe(true);
    const next = pacer.acquire();
    pacer.rejected();
    expect(await next).toEqual({ probe: false });
  });

  it('counts a run of 4xx for different messages as a deferral, but not one message refused again and again', async () => {
    const pacer = new Pacer({ rate: Infinity, probeInterval: 20, deferralBudget: 10_000, quotas: [], streak: 3 });
    for (let i = 0; i < 3; i++) expect(pacer.deferred((await pacer.acquire())!, 'same', false, '451 greylisted')).toBe(false);
    expect(pacer.deferred((await pacer.acquire())!, 'b', false, '451')).toBe(false);
    expect(pacer.deferred((await pacer.acquire())!, 'c', false, '451')).toBe(true);
    expect(pacer.deferrals).toBe(1);
  });

  it('stops when the deferral budget is spent, and at a quota', async () => {
    const deferring = new Pacer({ rate: Infinity, probeInterval: 10, deferralBudget: 50, quotas: [] });
    for (;;) {
      const t = await deferring.acquire();
      if (!t) break;
      deferring.deferred(t, 'x', true, '421 go away');
    }
    expect(deferring.stopped).toBe('the server kept deferring for the whole deferral budget of 50ms (last answer: 421 go away)');

    const quota = { name: 'per hour', limit: 5, used: 3 };
    const limited = new Pacer({ rate: Infinity, probeInterval: 10, deferralBudget: 50, quotas: [quota] });
    let sent = 0;
    for (let t = await limited.acquire(); t; t = await limited.acquire()) {
      limited.accepted();
      sent++;
    }
    expect(sent).toBe(2);
    expect(quota.used).toBe(5);
    expect(limited.stopped).toBe('the quota of 5 messages per hour is reached');
  });
});

describe('with the default settings (simulated time)', () => {
  // Acceptance 1 of issue 16 at the documented defaults (minutes), which the CLI tests can only scale down.
  async function against(server: { accepts: number; latency: number }) {
    const sim = simulatedClock();
    const rate = Math.min((defaults.rateLimit * 1000) / defaults.rateDelta, defaults.quota.perSecond ?? Infinity);
    const pacer = new Pacer({ rate, probeInterval: defaults.probeInterval, deferralBudget: defaults.deferralBudget, quotas: [], clock: sim.clock });
    let attempts = 0;
    let sent = 0;
    /** When the server stopped accepting: the first message it did not take was handed to it. */
    let turnedAt = 0;
    // As many senders as run.ts keeps in flight.
    const sender = async () => {
      for (let t = await pacer.acquire(); t; t = await pacer.acquire()) {
        const n = ++attempts;
        if (n === server.accepts + 1) turnedAt = sim.now();
        await sim.clock.sleep(server.latency);
        if (n <= server.accepts) {
          sent++;
          pacer.accepted();
        } else pacer.deferred(t, `m${n}`, true, server.latency >= defaults.commandTimeout ? 'ETIMEDOUT: Timeout' : '421 4.7.0 Too many messages');
      }
    };
    await sim.run(Promise.all(Array.from({ length: Math.max(2, defaults.maxConnections * 2) }, sender)));
    return { elapsed: sim.now(), turnedAt, attempts, sent, pacer };
  }

  it('421 to everything after N: the run spends its deferral budget, then stops within the budget plus one minute', async () => {
    expect([defaults.deferralBudget, defaults.probeInterval, defaults.commandTimeout]).toEqual([300_000, 30_000, 60_000]);
    const { elapsed, attempts, sent, pacer } = await against({ accepts: 20, latency: 50 });
    expect(sent).toBe(20);
    expect(pacer.stopped).toBe('the server kept deferring for the whole deferral budget of 5m00s (last answer: 421 4.7.0 Too many messages)');
    expect(elapsed).toBeGreaterThanOrEqual(defaults.deferralBudget);
    expect(elapsed).toBeLessThanOrEqual(defaults.deferralBudget + 60_000);
    // One shared back-off: the messages in flight when it began, then a few probes (30 s, 60 s, 120 s apart).
    expect(attempts - sent).toBeLessThanOrEqual(4 + 4);
    expect(pacer.deferrals).toBe(1);
  });

  it('a server that hangs instead: each probe costs a command timeout, and the run still ends within the budget plus two of them', async () => {
    const { elapsed, turnedAt, sent, pacer } = await against({ accepts: 5, latency: defaults.commandTimeout });
    expect(sent).toBe(5);
    expect(pacer.stopped).toMatch(/^the server kept deferring for the whole deferral budget of 5m00s/);
    // Counted from the moment the server began to hang (docs/mail.md: one command timeout before the pause, one for the last probe).
    expect(elapsed - turnedAt).toBeGreaterThanOrEqual(defaults.deferralBudget);
    expect(elapsed - turnedAt).toBeLessThanOrEqual(defaults.deferralBudget + 2 * defaults.commandTimeout);
  });
});

describe('schedule', () => {
  const HOUR = 3_600_000;
  it('splits a send into runs by the quota windows, counting what the ledger says is used', () => {
    expect(schedule(120, Infinity, [{ name: 'per day', limit: 50, used: 0, window: 24 * HOUR }])).toEqual({ runs: [50, 50, 20], ms: 48 * HOUR });
    expect(schedule(250, Infinity, [{ name: 'per hour', limit: 100, used: 40, window: HOUR }, { name: 'per day', limit: 200, used: 0, window: 24 * HOUR }]).runs).toEqual([60, 100, 40, 50]);
    expect(schedule(10, 5, [])).toEqual({ runs: [10], ms: 2000 });
  });

  it('formats durations for people', () => {
    expect([250, 1500, 245_000, 7_800_000, 183_600_000].map(duration)).toEqual(['250ms', '1.5s', '4m05s', '2h10m', '2d03h']);
  });
});
