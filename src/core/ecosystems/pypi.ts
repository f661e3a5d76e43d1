// PyPI: PEP 440 versions (3.1.1.post1, 2.5.0rc1, 1!2.0.dev3) ordered by @renovatebot/pep440, and
// version specifiers (`>=2.0.0,<2.4.1`, `~=2.2`, `==2.1.*`, `!=2.3.0`) turned into intervals.
// Pre-releases inside a range count as affected, as npm ranges here include them: an advisory is
// about every build in the range, not about what pip would pick by default.
import pep440 from '@renovatebot/pep440';
import { allOf } from './intervals.ts';
import type { Interval, VersionScheme } from './types.ts';

const compare = (a: string, b: string) => pep440.compare(a, b);
const CLAUSE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,]+)\s*$/;

/** The first version after every version that starts with `release` (2.1 → 2.2.dev0). */
function prefixEnd(release: string): string | null {
  const v = pep440.explain(release);
  if (!v) return null;
  const next = [...v.release];
  next[next.length - 1]! += 1;
  return `${v.epoch ? `${v.epoch}!` : ''}${next.join('.')}.dev0`;
}

function prefixInterval(release: string): Interval | null {
  const end = prefixEnd(release);
  return end === null ? null : { lo: { v: `${release}.dev0`, inclusive: true }, hi: { v: end, inclusive: false } };
}

const complement = (i: Interval): Interval[] => [
  { lo: null, hi: { v: i.lo!.v, inclusive: !i.lo!.inclusive } },
  { lo: { v: i.hi!.v, inclusive: !i.hi!.inclusive }, hi: null },
];

function clause(text: string): Interval[] | null {
  const m = CLAUSE.exec(text);
  if (!m) return null;
  const [, op, raw] = m as unknown as [string, string, string];
  const wildcard = raw.endsWith('.*');
  const v = wildcard ? raw.slice(0, -2) : raw;
  if (pep440.valid(v) === null || (wildcard && op !== '==' && op !== '!=')) return null;
  if (wildcard) {
    const prefix = prefixInterval(v);
    if (!prefix) return null;
    return op === '==' ? [prefix] : complement(prefix);
  }
  const exact: Interval = { lo: { v, inclusive: true }, hi: { v, inclusive: true } };
  switch (op) {
    case '==':
    case '===':
      return [exact];
    case '!=':
      return complement(exact);
    case '>=':
    case '>':
      return [{ lo: { v, inclusive: op === '>=' }, hi: null }];
    case '<=':
    case '<':
      return [{ lo: null, hi: { v, inclusive: op === '<=' } }];
    default: {
      // ~=2.2.1 is >=2.2.1 and ==2.2.*; PEP 440 requires at least two release numbers.
      const release = pep440.explain(v)!.release;
      if (release.length < 2) return null;
      const prefix = prefixInterval(release.slice(0, -1).join('.'));
      return prefix ? [{ lo: { v, inclusive: true }, hi: prefix.hi }] : null;
    }
  }
}

export const pep440Intervals = (specifier: string): Interval[] | null => allOf(compare, specifier, clause);

export const pypi: VersionScheme = {
  ecosystem: 'PyPI',
  rangeNotation: 'PEP 440 version specifier',
  versionNotation: 'PEP 440 version',
  rangeExample: '>=2.0.0,<2.4.1',
  versionExample: '2.4.1',
  osvRangeType: 'ECOSYSTEM',
  upgradeCommand: 'pip install --upgrade "{package}>={version}"',
  parse: (v) => pep440.valid(v.trim()),
  compare,
  intervals: pep440Intervals,
  floor: (release) => `${release}.dev0`,
  // Local versions (2.0+0) sort right after their public version.
  successor: (v) => (v.includes('+') ? `${v}.0` : `${v}+0`),
  between: (from, to) => `>=${from},<${to}`,
  display: (v) => v,
};
