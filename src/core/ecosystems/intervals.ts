// Set operations on the intervals a VersionScheme makes, ordered by that scheme's own comparison.
import type { Bound, Interval, VersionScheme } from './types.ts';

type Compare = (a: string, b: string) => number;

const maxLo = (cmp: Compare, a: Bound | null, b: Bound): Bound => {
  if (!a) return b;
  const c = cmp(a.v, b.v);
  return c > 0 || (c === 0 && !a.inclusive) ? a : b;
};
const minHi = (cmp: Compare, a: Bound | null, b: Bound): Bound => {
  if (!a) return b;
  const c = cmp(a.v, b.v);
  return c < 0 || (c === 0 && !a.inclusive) ? a : b;
};
const maxHi = (cmp: Compare, a: Bound, b: Bound): Bound => {
  const c = cmp(a.v, b.v);
  return c > 0 || (c === 0 && a.inclusive) ? a : b;
};

/** The intersection of two intervals, or null when it is empty. */
export function meet(cmp: Compare, a: Interval, b: Interval): Interval | null {
  const lo = b.lo ? maxLo(cmp, a.lo, b.lo) : a.lo;
  const hi = b.hi ? minHi(cmp, a.hi, b.hi) : a.hi;
  if (lo && hi) {
    const c = cmp(lo.v, hi.v);
    if (c > 0 || (c === 0 && !(lo.inclusive && hi.inclusive))) return null;
  }
  return { lo, hi };
}

/** Every pairwise intersection of two unions of intervals: the comma (AND) of two clauses. */
export function meetAll(cmp: Compare, a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return a.flatMap((x) => b.map((y) => meet(cmp, x, y)).filter((i): i is Interval => i !== null));
}

export const EVERYTHING: Interval = { lo: null, hi: null };

/** A comma-separated list of clauses (PEP 440 specifiers, Gem requirements): what every clause allows. */
export function allOf(cmp: Compare, text: string, clause: (part: string) => Interval[] | null): Interval[] | null {
  if (text.trim() === '') return null;
  let result: Interval[] = [EVERYTHING];
  for (const part of text.split(',')) {
    const intervals = clause(part);
    if (intervals === null) return null;
    result = meetAll(cmp, result, intervals);
  }
  return result;
}

const loOrder = (cmp: Compare) => (a: Interval, b: Interval) =>
  !a.lo ? -1 : !b.lo ? 1 : cmp(a.lo.v, b.lo.v) || Number(b.lo.inclusive) - Number(a.lo.inclusive);

/** Does `next` start inside `prev` or right where it ends? (Sorted by lower bound.) */
function touches(cmp: Compare, prev: Interval, next: Interval): boolean {
  if (!prev.hi || !next.lo) return true;
  const c = cmp(next.lo.v, prev.hi.v);
  return c < 0 || (c === 0 && (next.lo.inclusive || prev.hi.inclusive));
}

/** The union as disjoint intervals in ascending order (OSV ranges must not overlap). */
export function merge(cmp: Compare, all: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const next of [...all].sort(loOrder(cmp))) {
    const prev = merged.at(-1);
    if (prev && touches(cmp, prev, next)) {
      prev.hi = prev.hi && next.hi ? maxHi(cmp, prev.hi, next.hi) : null;
    } else merged.push({ ...next });
  }
  return merged;
}

export function contains(cmp: Compare, i: Interval, v: string): boolean {
  if (i.lo) {
    const c = cmp(v, i.lo.v);
    if (c < 0 || (c === 0 && !i.lo.inclusive)) return false;
  }
  if (i.hi) {
    const c = cmp(v, i.hi.v);
    if (c > 0 || (c === 0 && !i.hi.inclusive)) return false;
  }
  return true;
}

/** Is the (canonical) version inside the range? False for a range the scheme cannot read. */
export function satisfies(scheme: VersionScheme, version: string, range: string): boolean {
  if (scheme.satisfies) return scheme.satisfies(version, range);
  return (scheme.intervals(range) ?? []).some((i) => contains(scheme.compare, i, version));
}

/** Do two ranges share a version? */
export function intersects(scheme: VersionScheme, a: string, b: string): boolean {
  if (scheme.intersects) return scheme.intersects(a, b);
  return meetAll(scheme.compare, scheme.intervals(a) ?? [], scheme.intervals(b) ?? []).length > 0;
}

/** Does a range overlap an interval already made (a SECURITY.md line)? */
export function overlaps(scheme: VersionScheme, range: string, line: readonly Interval[]): boolean {
  return meetAll(scheme.compare, scheme.intervals(range) ?? [], line).length > 0;
}

export const validRange = (scheme: VersionScheme, range: string) => scheme.intervals(range) !== null;
export const validVersion = (scheme: VersionScheme, version: string) => scheme.parse(version) !== null;
