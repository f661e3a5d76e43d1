// crates.io: versions are SemVer 2.0; ranges are Cargo's requirement syntax, comparators joined by
// commas, where a bare version means a caret requirement (`1.2.3` is `^1.2.3`). Cargo's operators
// mean what node-semver's do, so a requirement is translated and read by node-semver.
// Comparators joined by spaces, as npm writes them, are read too (RustSec-converted advisories use them).
import semver from 'semver';
import { npm, semverIntervals } from './npm.ts';
import type { VersionScheme } from './types.ts';

/** Cargo's requirement as node-semver's range, or null when it is not one. */
export function cargoToSemver(requirement: string): string | null {
  if (/\|\||\s-\s/.test(requirement)) return null; // npm's alternatives and hyphen ranges are not Cargo's
  const parts = requirement.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) return null;
  const range = parts.map((p) => (/^\d/.test(p) ? `^${p}` : p)).join(' ');
  return semver.validRange(range, { includePrerelease: true }) === null ? null : range;
}

export const cratesIo: VersionScheme = {
  ...npm,
  ecosystem: 'crates.io',
  rangeNotation: 'version requirement (Cargo syntax)',
  versionNotation: 'SemVer version',
  rangeExample: '>=1.2.0, <1.4.2',
  versionExample: '1.3.0',
  upgradeCommand: 'cargo update -p {package} --precise {version}',
  between: (from, to) => `>=${from}, <${to}`,
  intervals: (requirement) => {
    const range = cargoToSemver(requirement);
    return range === null ? null : semverIntervals(range);
  },
  satisfies: (version, requirement) => {
    const range = cargoToSemver(requirement);
    return range !== null && npm.satisfies!(version, range);
  },
  intersects: (a, b) => {
    const [x, y] = [cargoToSemver(a), cargoToSemver(b)];
    return x !== null && y !== null && npm.intersects!(x, y);
  },
};
