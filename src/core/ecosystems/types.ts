// One interface for the version rules of every ecosystem: each module in this folder reads its
// ecosystem's versions and ranges and turns a range into intervals, so that matching, overlap,
// SECURITY.md lines and OSV events are computed once, in intervals.ts, for all of them.

/** One end of an interval, in the ecosystem's canonical version form. */
export interface Bound {
  v: string;
  inclusive: boolean;
}

/** A set of versions `lo ≤ v ≤ hi` (or `<`, by `inclusive`); a null end is unbounded. */
export interface Interval {
  lo: Bound | null;
  hi: Bound | null;
}

export interface VersionScheme {
  /** The OSV ecosystem name this scheme is for, e.g. `PyPI`. */
  readonly ecosystem: string;
  /** How ranges are written, for messages: `PEP 440 version specifiers`. */
  readonly rangeNotation: string;
  /** How versions are written, for messages: `PEP 440 version`. */
  readonly versionNotation: string;
  readonly rangeExample: string;
  readonly versionExample: string;
  /** OSV's range type for this ecosystem: SEMVER where OSV says its versions are SemVer 2.0. */
  readonly osvRangeType: 'SEMVER' | 'ECOSYSTEM';
  /** The default upgrade advice, a template with {package} and {version}. */
  readonly upgradeCommand: string;
  /** The version in canonical form (what is compared and written into OSV), or null when it is not one. */
  parse(version: string): string | null;
  /** Orders two canonical versions. */
  compare(a: string, b: string): number;
  /** The range as intervals (unmerged, any order), or null when it is not a range in this notation. */
  intervals(range: string): Interval[] | null;
  /** The lowest version of a release and its pre-releases: below it, the line before ends. */
  floor(release: string): string;
  /** A version above `v` with none between that anyone releases: OSV's `introduced` for `> v`. */
  successor(v: string): string;
  /** `from ≤ v < to` in this notation, for scaffolds: `>=1.0.0,<1.0.1` for PyPI. */
  between(from: string, to: string): string;
  /** The version as its users type it in commands (Go's `v` prefix). */
  display(v: string): string;
  /** Optional exact implementations where the ecosystem's library answers directly. */
  satisfies?(version: string, range: string): boolean;
  intersects?(a: string, b: string): boolean;
}
