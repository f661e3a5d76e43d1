// Go modules: versions are SemVer 2.0 written with a `v` (v1.4.2); pseudo-versions
// (v0.0.0-20191109021931-daa7c04131f5) are pre-releases and `+incompatible` is build metadata, so
// node-semver orders them exactly as the go command does. OSV writes Go versions without the `v`.
import { npm, semverIntervals } from './npm.ts';
import type { VersionScheme } from './types.ts';

const strip = (v: string) => v.trim().replace(/^v(?=\d)/, '');

export const go: VersionScheme = {
  ...npm,
  ecosystem: 'Go',
  rangeNotation: 'module version range (comparators as npm writes them, `v` optional)',
  versionNotation: 'module version',
  rangeExample: '>=v1.2.0 <v1.4.2',
  versionExample: 'v1.3.0',
  upgradeCommand: 'go get {package}@{version}',
  parse: (v) => npm.parse(strip(v)),
  compare: (a, b) => npm.compare(strip(a), strip(b)),
  intervals: (range) => semverIntervals(range),
  between: (from, to) => `>=v${strip(from)} <v${strip(to)}`,
  display: (v) => `v${strip(v)}`,
  satisfies: (version, range) => npm.satisfies!(strip(version), range),
};
