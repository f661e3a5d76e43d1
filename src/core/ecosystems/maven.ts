// Maven: versions in Maven's order (maven-version.ts) and Maven's range syntax: `[1.0,2.0)`,
// `(,1.0]`, `[1.2]`, and sets joined by commas (`(,1.0],[1.2,)`). A bare version means that version.
import { compareMaven, isMavenVersion } from './maven-version.ts';
import type { Bound, Interval, VersionScheme } from './types.ts';

const SET = /^([[(])\s*([^,\][()]*?)\s*(?:(,)\s*([^,\][()]*?)\s*)?([\])])\s*(?:,\s*|$)/;

function bound(v: string, inclusive: boolean): Bound | null | undefined {
  if (v === '') return null;
  return isMavenVersion(v) ? { v, inclusive } : undefined;
}

export function mavenIntervals(range: string): Interval[] | null {
  let rest = range.trim();
  if (isMavenVersion(rest)) return [{ lo: { v: rest, inclusive: true }, hi: { v: rest, inclusive: true } }];
  const out: Interval[] = [];
  while (rest !== '') {
    const m = SET.exec(rest);
    if (!m) return null;
    const [whole, open, from = '', comma, to = '', close] = m as unknown as [string, string, string | undefined, string | undefined, string | undefined, string];
    if (!comma) {
      // [1.2] is exactly 1.2; (1.2) means nothing and is an error in Maven.
      if (open !== '[' || close !== ']' || !isMavenVersion(from)) return null;
      out.push({ lo: { v: from, inclusive: true }, hi: { v: from, inclusive: true } });
    } else {
      const lo = bound(from, open === '[');
      const hi = bound(to, close === ']');
      if (lo === undefined || hi === undefined || (lo === null && open === '[') || (hi === null && close === ']')) return null;
      if (lo && hi && compareMaven(lo.v, hi.v) > 0) return null;
      out.push({ lo, hi });
    }
    rest = rest.slice(whole.length);
  }
  return out.length ? out : null;
}

export const maven: VersionScheme = {
  ecosystem: 'Maven',
  rangeNotation: 'version range',
  versionNotation: 'version',
  rangeExample: '[2.0,2.4.1)',
  versionExample: '2.4.1',
  osvRangeType: 'ECOSYSTEM',
  // Maven has no upgrade command: the coordinates to put in the POM.
  upgradeCommand: '{package}:{version}',
  parse: (v) => (isMavenVersion(v.trim()) ? v.trim() : null),
  compare: compareMaven,
  intervals: mavenIntervals,
  floor: (release) => `${release.replace(/(\.0)+$/, '')}.alpha`,
  successor: (v) => `${v}.0.1`,
  between: (from, to) => `[${from},${to})`,
  display: (v) => v,
};
