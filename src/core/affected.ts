// "Am I affected?": one implementation for the CLI and the site's script (bundled for the browser),
// so both answer the same. Pure, and depends only on semver.
import semver from 'semver';

export interface AffectsShape {
  id: string;
  affected: string[];
  patched: string[];
  withdrawn?: unknown;
}

export interface Verdict<T> {
  advisory: T;
  /** Version to upgrade to: the lowest patched release above the version, in its own line first. */
  upgradeTo: string | null;
}

const opts = { includePrerelease: true };

export function parseVersion(input: string): string | null {
  return semver.valid(input.trim().replace(/^v/i, ''));
}

export function isAffected(advisory: AffectsShape, version: string): boolean {
  if (advisory.withdrawn) return false;
  return advisory.affected.some((r) => semver.validRange(r) !== null && semver.satisfies(version, r, opts));
}

export function upgradeTarget(advisory: AffectsShape, version: string): string | null {
  const above = advisory.patched
    .filter((p) => semver.valid(p) && semver.gt(p, version) && !isAffected(advisory, p))
    .sort(semver.compare);
  const sameMajor = above.find((p) => semver.major(p) === semver.major(version));
  return sameMajor ?? above[0] ?? null;
}

export function advisoriesAffecting<T extends AffectsShape>(advisories: readonly T[], version: string): Verdict<T>[] {
  return advisories.filter((a) => isAffected(a, version)).map((advisory) => ({ advisory, upgradeTo: upgradeTarget(advisory, version) }));
}
