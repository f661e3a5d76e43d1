// RubyGems: Gem::Version and Gem::Requirement as @renovatebot/ruby-semver implements them
// (`~> 2.2`, `>= 2.0, < 2.4.1`, pre-releases such as 1.2.0.rc1), requirements turned into intervals.
import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import { allOf } from './intervals.ts';
import type { Interval, VersionScheme } from './types.ts';

const version = (v: string) => (Version.isCorrect(v.trim()) ? Version.create(v.trim()) : null);
const compare = (a: string, b: string) => version(a)!.compare(version(b));
const CLAUSE = /^\s*(~>|!=|>=|<=|=|>|<)?\s*([^\s,]+)\s*$/;
/** Below every pre-release of a release: letters sort before numbers in a Gem version. */
const floor = (release: string) => `${release}.a`;

function clause(text: string): Interval[] | null {
  const m = CLAUSE.exec(text);
  if (!m || !version(m[2]!)) return null;
  const op = m[1] ?? '=';
  const v = m[2]!;
  switch (op) {
    case '=':
      return [{ lo: { v, inclusive: true }, hi: { v, inclusive: true } }];
    case '!=':
      return [
        { lo: null, hi: { v, inclusive: false } },
        { lo: { v, inclusive: false }, hi: null },
      ];
    case '>=':
    case '>':
      return [{ lo: { v, inclusive: op === '>=' }, hi: null }];
    case '<=':
    case '<':
      return [{ lo: null, hi: { v, inclusive: op === '<=' } }];
    default:
      // `~> 2.2.1` is `>= 2.2.1` with a release below 2.3: 2.3's own pre-releases are out.
      return [{ lo: { v, inclusive: true }, hi: { v: floor(version(v)!.bump().toString()), inclusive: false } }];
  }
}

export const gemIntervals = (requirement: string): Interval[] | null => allOf(compare, requirement, clause);

export const rubygems: VersionScheme = {
  ecosystem: 'RubyGems',
  rangeNotation: 'requirement (Gem syntax)',
  versionNotation: 'version',
  rangeExample: '>= 2.0, < 2.4.1',
  versionExample: '2.4.1',
  osvRangeType: 'ECOSYSTEM',
  upgradeCommand: 'gem install {package} -v {version}',
  parse: (v) => (version(v) ? v.trim() : null),
  compare,
  intervals: gemIntervals,
  floor,
  successor: (v) => `${v}.0.1`,
  between: (from, to) => `>= ${from}, < ${to}`,
  display: (v) => v,
};
