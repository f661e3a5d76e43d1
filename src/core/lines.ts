// Which supported lines an advisory touches, and which patched release fixes each.
import semver from 'semver';
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

const validRanges = (fm: Pick<AdvisoryFrontmatter, 'affected'>) => fm.affected.filter((r) => semver.validRange(r) !== null);

export function affects(fm: Pick<AdvisoryFrontmatter, 'affected'>, version: string): boolean {
  return validRanges(fm).some((r) => semver.satisfies(version, r, { includePrerelease: true }));
}

// The check and the model both ask, and a database repeats the same ranges across many advisories.
const memo = new WeakMap<readonly SupportedLine[], Map<string, readonly LineStatus[]>>();

export function lineStatus(fm: Pick<AdvisoryFrontmatter, 'affected' | 'patched'>, lines: readonly SupportedLine[]): LineStatus[] {
  let byVersions = memo.get(lines);
  if (!byVersions) memo.set(lines, (byVersions = new Map()));
  const key = JSON.stringify([fm.affected, fm.patched]);
  let statuses = byVersions.get(key);
  if (!statuses) {
    if (byVersions.size >= 10_000) byVersions.clear();
    byVersions.set(key, (statuses = computeLineStatus(fm, lines)));
  }
  return statuses.map((s) => ({ ...s }));
}

function computeLineStatus(fm: Pick<AdvisoryFrontmatter, 'affected' | 'patched'>, lines: readonly SupportedLine[]): LineStatus[] {
  const ranges = validRanges(fm);
  const patched = fm.patched.filter((v) => semver.valid(v)).sort(semver.compare);
  return lines.map((line) => {
    const affected = ranges.some((r) => semver.intersects(r, line.range, { includePrerelease: true }));
    const fix = patched.find((v) => semver.satisfies(v, line.range, { includePrerelease: true }) && !affects(fm, v));
    return { spec: line.spec, range: line.range, supported: line.supported, affected, fixedIn: affected ? (fix ?? null) : null };
  });
}
