// The pacer on its own: the shared back-off, the slower pace after it, quotas, and the dry run's schedule.
import { describe, expect, it } from 'vitest';
import { duration, Pacer, schedule, type Ticket } from '../../src/mail/pacer.ts';

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
