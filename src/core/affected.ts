// "Am I affected?": one implementation for the CLI and the site's script (bundled for the browser),
// so both answer the same, in the rules of each advisory's ecosystem (core/ecosystems).
import { satisfies, schemeFor } from './ecosystems/index.ts';

export interface AffectsShape {
  id: string;
  /** OSV ecosystem name; npm when absent. */
  ecosystem?: string;
  affected: string[];
  patched: string[];
  withdrawn?: unknown;
}

export interface Verdict<T> {
  advisory: T;
  /** Version to upgrade to: the lowest patched release above the version, in its own line first. */
  upgradeTo: string | null;
}

/** The version as typed (a leading `v` is fine), or null when it is no version of the ecosystem. */
export function parseVersion(input: string, ecosystem = 'npm'): string | null {
  const scheme = schemeFor(ecosystem);
  const text = input.trim();
  return scheme.parse(text.replace(/^v(?=\d)/i, '')) ?? scheme.parse(text);
}

export function isAffected(advisory: AffectsShape, version: string): boolean {
  if (advisory.withdrawn) return false;
  const scheme = schemeFor(advisory.ecosystem ?? 'npm');
  return advisory.affected.some((r) => satisfies(scheme, version, r));
}

/** The first release number: the line a version belongs to (1 for 1.4.2, 2 for v2.0.0+incompatible). */
const major = (v: string) => /\d+/.exec(v.replace(/^\d+!/, ''))?.[0];

export function upgradeTarget(advisory: AffectsShape, version: string): string | null {
  const scheme = schemeFor(advisory.ecosystem ?? 'npm');
  const above = advisory.patched
    .filter((p) => scheme.parse(p) !== null && scheme.compare(p, version) > 0 && !isAffected(advisory, p))
    .sort(scheme.compare);
  const sameMajor = above.find((p) => Number(major(p)) === Number(major(version)));
  return sameMajor ?? above[0] ?? null;
}

export function advisoriesAffecting<T extends AffectsShape>(advisories: readonly T[], version: string): Verdict<T>[] {
  return advisories.filter((a) => isAffected(a, version)).map((advisory) => ({ advisory, upgradeTo: upgradeTarget(advisory, version) }));
}
