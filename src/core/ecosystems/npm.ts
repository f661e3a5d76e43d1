// npm: versions and ranges exactly as npm reads them (node-semver), pre-releases included in ranges.
// Also the rules of the other ecosystems whose versions are SemVer 2.0 (see go.ts, crates-io.ts) and
// of the ecosystems without a module of their own.
import semver from 'semver';
import type { Bound, Interval, VersionScheme } from './types.ts';

const opts = { includePrerelease: true };

/** The smallest version above v: 1.2.3 → 1.2.4-0, 1.2.3-rc.1 → 1.2.3-rc.1.0 (semver precedence). */
export function semverSuccessor(v: string): string {
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

/** One comparator set (the parts of a range between `||`) as one interval, or null when empty. */
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

/** A node-semver range as intervals; the empty ones dropped. */
export function semverIntervals(range: string): Interval[] | null {
  if (semver.validRange(range, opts) === null) return null;
  return new semver.Range(range, opts).set.map(toInterval).filter((i): i is Interval => i !== null);
}

export const npm: VersionScheme = {
  ecosystem: 'npm',
  rangeNotation: 'semver range',
  versionNotation: 'semver version',
  rangeExample: '>=1.2.0 <1.4.2',
  versionExample: '1.3.0',
  osvRangeType: 'SEMVER',
  upgradeCommand: 'npm install {package}@{version}',
  parse: (v) => semver.valid(v),
  compare: (a, b) => semver.compare(a, b),
  intervals: semverIntervals,
  floor: (release) => `${release}-0`,
  successor: semverSuccessor,
  between: (from, to) => `>=${from} <${to}`,
  display: (v) => v,
  satisfies: (version, range) => semver.validRange(range) !== null && semver.satisfies(version, range, opts),
  intersects: (a, b) => semver.validRange(a) !== null && semver.validRange(b) !== null && semver.intersects(a, b, opts),
};
