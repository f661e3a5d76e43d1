// Which supported lines an advisory touches, and which patched release fixes each, in the rules of
// the advisory's ecosystem: a line's range (SemVer-shaped, as SECURITY.md's table is read) is made
// into that ecosystem's intervals, its ends at the ecosystem's lowest version of a release.
import semver from 'semver';
import { contains, intersects, satisfies, schemeFor, type Interval, type VersionScheme } from './ecosystems/index.ts';
import { meetAll } from './ecosystems/intervals.ts';
import { semverIntervals } from './ecosystems/npm.ts';
import type { SupportedLine } from './policy.ts';
import type { AdvisoryFrontmatter } from './schema.ts';

export interface LineStatus {
  spec: string;
  range: string;
  supported: boolean;
  affected: boolean;
  /** Lowest patched version in this line; null when the line gets no fix. */
  fixedIn: string | null;
}

type Versions = Pick<AdvisoryFrontmatter, 'affected' | 'patched'> & { ecosystem?: string | undefined };

const validRanges = (scheme: VersionScheme, fm: Pick<AdvisoryFrontmatter, 'affected'>) => fm.affected.filter((r) => scheme.intervals(r) !== null);

export function affects(fm: Pick<AdvisoryFrontmatter, 'affected'> & { ecosystem?: string | undefined }, version: string): boolean {
  const scheme = schemeFor(fm.ecosystem ?? 'npm');
  return validRanges(scheme, fm).some((r) => satisfies(scheme, version, r));
}

/** A line's SemVer range in the scheme's own versions: `<2.0.0-0` (before 2.0.0's pre-releases) is the scheme's floor of 2.0.0. */
function lineIntervals(scheme: VersionScheme, range: string): Interval[] {
  const bound = (b: Interval['lo']) => {
    if (!b) return null;
    const s = semver.parse(b.v)!;
    const floor = s.prerelease.length === 1 && s.prerelease[0] === 0;
    return { v: floor ? scheme.floor(`${s.major}.${s.minor}.${s.patch}`) : b.v, inclusive: b.inclusive };
  };
  return (semverIntervals(range) ?? []).map((i) => ({ lo: bound(i.lo), hi: bound(i.hi) }));
}

/** npm reads the line's range itself; every other ecosystem compares through intervals. */
function lineTest(scheme: VersionScheme, line: SupportedLine) {
  if (scheme.ecosystem === 'npm') {
    return { overlaps: (r: string) => intersects(scheme, r, line.range), has: (v: string) => satisfies(scheme, v, line.range) };
  }
  const own = lineIntervals(scheme, line.range);
  return {
    overlaps: (r: string) => meetAll(scheme.compare, scheme.intervals(r) ?? [], own).length > 0,
    has: (v: string) => own.some((i) => contains(scheme.compare, i, v)),
  };
}

// The check and the model both ask, and a database repeats the same ranges across many advisories.
const memo = new WeakMap<readonly SupportedLine[], Map<string, readonly LineStatus[]>>();

export function lineStatus(fm: Versions, lines: readonly SupportedLine[]): LineStatus[] {
  let byVersions = memo.get(lines);
  if (!byVersions) memo.set(lines, (byVersions = new Map()));
  const key = JSON.stringify([fm.affected, fm.patched, fm.ecosystem ?? 'npm']);
  let statuses = byVersions.get(key);
  if (!statuses) {
    if (byVersions.size >= 10_000) byVersions.clear();
    byVersions.set(key, (statuses = computeLineStatus(fm, lines)));
  }
  return statuses.map((s) => ({ ...s }));
}

function computeLineStatus(fm: Versions, lines: readonly SupportedLine[]): LineStatus[] {
  const scheme = schemeFor(fm.ecosystem ?? 'npm');
  const ranges = validRanges(scheme, fm);
  const patched = fm.patched.filter((v) => scheme.parse(v) !== null).sort(scheme.compare);
  return lines.map((line) => {
    const test = lineTest(scheme, line);
    const affected = ranges.some((r) => test.overlaps(r));
    const fix = patched.find((v) => test.has(v) && !affects(fm, v));
    return { spec: line.spec, range: line.range, supported: line.supported, affected, fixedIn: affected ? (fix ?? null) : null };
  });
}
