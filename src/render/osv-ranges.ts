// Semver ranges (as advisories write them) → OSV range events. OSV evaluates events as
// "introduced ≤ v < fixed" or "introduced ≤ v ≤ last_affected", so each comparator set of a
// range becomes one interval, overlapping intervals are merged (SEMVER ranges must not
// overlap), and each interval becomes one OSV range (fixed and last_affected may not mix).
import semver from 'semver';

export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string };

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM';
  events: OsvEvent[];
  database_specific?: { note: string };
}

interface Bound {
  v: string;
  inclusive: boolean;
}
export interface Interval {
  lo: Bound | null;
  hi: Bound | null;
}

const opts = { includePrerelease: true };

/** The smallest version above v: 1.2.3 → 1.2.4-0, 1.2.3-rc.1 → 1.2.3-rc.1.0 (semver precedence). */
export function successor(v: string): string {
  const s = semver.parse(v)!;
  return s.prerelease.length > 0 ? `${s.version}.0` : `${s.major}.${s.minor}.${s.patch + 1}-0`;
}

const maxLo = (a: Bound | null, b: Bound): Bound => {
  if (!a) return b;
  const c = semver.compare(a.v, b.v);
  return c > 0 || (c === 0 && !a.inclusive) ? a : b;
};
const minHi = (a: Bound | null, b: Bound): Bound => {
  if (!a) return b;
  const c = semver.compare(a.v, b.v);
  return c < 0 || (c === 0 && !a.inclusive) ? a : b;
};

function toInterval(set: readonly semver.Comparator[]): Interval | null {
  let lo: Bound | null = null;
  let hi: Bound | null = null;
  for (const c of set) {
    if (c.value === '') continue; // "*": no bound
    const v = c.semver.version;
    if (c.operator === '>=' || c.operator === '>') lo = maxLo(lo, { v, inclusive: c.operator === '>=' });
    else if (c.operator === '<=' || c.operator === '<') hi = minHi(hi, { v, inclusive: c.operator === '<=' });
    else {
      lo = maxLo(lo, { v, inclusive: true });
      hi = minHi(hi, { v, inclusive: true });
    }
  }
  if (hi && lo) {
    const c = semver.compare(lo.v, hi.v);
    if (c > 0 || (c === 0 && !(lo.inclusive && hi.inclusive))) return null;
  }
  // semver writes "nothing" as <0.0.0-0.
  if (hi && !hi.inclusive && hi.v === '0.0.0-0') return null;
  return { lo, hi };
}

const loOrder = (a: Interval, b: Interval) =>
  !a.lo ? -1 : !b.lo ? 1 : semver.compare(a.lo.v, b.lo.v) || Number(b.lo.inclusive) - Number(a.lo.inclusive);

/** Does `next` start inside `prev` or right where it ends? (Sorted by lower bound.) */
function touches(prev: Interval, next: Interval): boolean {
  if (!prev.hi || !next.lo) return true;
  const c = semver.compare(next.lo.v, prev.hi.v);
  return c < 0 || (c === 0 && (next.lo.inclusive || prev.hi.inclusive));
}

export function intervals(ranges: readonly string[]): Interval[] {
  const all = ranges
    .filter((r) => semver.validRange(r, opts) !== null)
    .flatMap((r) => new semver.Range(r, opts).set.map(toInterval))
    .filter((i): i is Interval => i !== null)
    .sort(loOrder);
  const merged: Interval[] = [];
  for (const next of all) {
    const prev = merged.at(-1);
    if (prev && touches(prev, next)) {
      prev.hi = prev.hi && next.hi ? maxHi(prev.hi, next.hi) : null;
    } else merged.push({ ...next });
  }
  return merged;
}

const maxHi = (a: Bound, b: Bound): Bound => {
  const c = semver.compare(a.v, b.v);
  return c > 0 || (c === 0 && a.inclusive) ? a : b;
};

/** Ecosystems whose versions are SemVer 2.0 in OSV's sense; others get ECOSYSTEM ranges. */
const SEMVER_ECOSYSTEMS = new Set(['npm', 'Go', 'crates.io']);

export function osvRanges(affected: readonly string[], patched: readonly string[], ecosystem: string): OsvRange[] {
  const type = SEMVER_ECOSYSTEMS.has(ecosystem.split(':')[0]!) ? 'SEMVER' : 'ECOSYSTEM';
  const fixes = new Set(patched.map((p) => semver.valid(p)).filter(Boolean));
  return intervals(affected).map(({ lo, hi }): OsvRange => {
    const introduced = !lo ? '0' : lo.inclusive ? lo.v : successor(lo.v);
    const events: OsvEvent[] = [{ introduced }];
    if (hi && hi.inclusive) events.push({ last_affected: hi.v });
    if (hi && !hi.inclusive) {
      events.push({ fixed: hi.v });
      // `fixed` is exactly "<" in OSV's evaluation, and scanners understand it (unlike `limit`,
      // which the spec reserves for GIT ranges); say when it is only where the range ends.
      if (!fixes.has(hi.v)) {
        return { type, events, database_specific: { note: `${hi.v} is where the affected range ends, not a release that fixes it` } };
      }
    }
    return { type, events };
  });
}
