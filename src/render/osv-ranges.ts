// Affected ranges (as advisories write them, in their ecosystem's notation) → OSV range events. OSV
// evaluates events as "introduced ≤ v < fixed" or "introduced ≤ v ≤ last_affected", so each range
// becomes intervals (core/ecosystems), overlapping intervals are merged (ranges must not overlap),
// and each interval becomes one OSV range (fixed and last_affected may not mix). The range type is
// the ecosystem's: SEMVER for npm, Go and crates.io, ECOSYSTEM for the others.
import { merge, schemeFor, type Interval } from '../core/ecosystems/index.ts';
import { semverSuccessor } from '../core/ecosystems/npm.ts';

export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string };

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM';
  events: OsvEvent[];
  database_specific?: { note: string };
}

export type { Interval };

/** The smallest version above v: 1.2.3 → 1.2.4-0, 1.2.3-rc.1 → 1.2.3-rc.1.0 (semver precedence). */
export const successor = semverSuccessor;

/** The affected ranges of one ecosystem as disjoint intervals, lowest first. */
export function intervals(ranges: readonly string[], ecosystem = 'npm'): Interval[] {
  const scheme = schemeFor(ecosystem);
  return merge(scheme.compare, ranges.flatMap((r) => scheme.intervals(r) ?? []));
}

export function osvRanges(affected: readonly string[], patched: readonly string[], ecosystem: string): OsvRange[] {
  const scheme = schemeFor(ecosystem);
  const type = scheme.osvRangeType;
  const fixes = patched.filter((p) => scheme.parse(p) !== null);
  // OSV writes versions as the ecosystem's registry lists them (Go's without the `v`).
  const osv = (v: string) => scheme.parse(v) ?? v;
  return intervals(affected, ecosystem).map(({ lo, hi }): OsvRange => {
    const introduced = !lo ? '0' : lo.inclusive ? osv(lo.v) : osv(scheme.successor(lo.v));
    const events: OsvEvent[] = [{ introduced }];
    if (hi && hi.inclusive) events.push({ last_affected: osv(hi.v) });
    if (hi && !hi.inclusive) {
      events.push({ fixed: osv(hi.v) });
      // `fixed` is exactly "<" in OSV's evaluation, and scanners understand it (unlike `limit`,
      // which the spec reserves for GIT ranges); say when it is only where the range ends.
      if (!fixes.some((p) => scheme.compare(p, hi.v) === 0)) {
        return { type, events, database_specific: { note: `${osv(hi.v)} is where the affected range ends, not a release that fixes it` } };
      }
    }
    return { type, events };
  });
}
