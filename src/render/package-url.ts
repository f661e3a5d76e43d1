// Package identifiers keyed on the OSV ecosystem: a purl (package-url spec) for the package or one
// version, and a `vers` range (the purl project's version-range spec) for affected versions. One entry
// per ecosystem, so another is a line here; an ecosystem without one gets no identifier rather than a
// wrong one. vers constraints are written from the same merged intervals, in the ecosystem's own order,
// as the OSV ranges, so the two always agree.
import { intervals, type Interval } from './osv-ranges.ts';

interface Ecosystem {
  /** purl type, also the vers versioning scheme. */
  type: string;
  /** The package name as purl namespace/name segments. */
  segments(name: string): string[];
}

const whole = (name: string) => [name];
const bySlash = (name: string) => name.split('/');

const ECOSYSTEMS: Record<string, Ecosystem> = {
  npm: { type: 'npm', segments: bySlash }, // @scope/name → namespace @scope (encoded %40scope)
  PyPI: { type: 'pypi', segments: (name) => [name.toLowerCase().replace(/[-_.]+/g, '-')] }, // PEP 503 normalised
  Go: { type: 'golang', segments: bySlash }, // github.com/org/module → namespace github.com/org
  'crates.io': { type: 'cargo', segments: whole },
  RubyGems: { type: 'gem', segments: whole },
  Maven: { type: 'maven', segments: (name) => name.split(':') }, // group:artifact
  NuGet: { type: 'nuget', segments: whole },
  Packagist: { type: 'composer', segments: bySlash },
  Hex: { type: 'hex', segments: whole },
  Pub: { type: 'pub', segments: whole },
};

// OSV ecosystems may carry a suffix (`Debian:12`); the package kind is what comes before it.
const ecosystemOf = (ecosystem: string) => ECOSYSTEMS[ecosystem.split(':')[0]!];

// purl percent-encodes each segment; `encodeURIComponent` leaves a few characters purl also allows.
const segment = (s: string) => encodeURIComponent(s);

/** `pkg:npm/%40scope/name` or with `@version`; undefined for an ecosystem without a purl type here. */
export function purl(ecosystem: string, name: string, version?: string): string | undefined {
  const eco = ecosystemOf(ecosystem);
  if (!eco) return undefined;
  const path = eco.segments(name).map(segment).join('/');
  return `pkg:${eco.type}/${path}${version === undefined ? '' : `@${segment(version)}`}`;
}

/** The vers scheme of an ecosystem: its purl type, or `generic` where there is none. */
export const versScheme = (ecosystem: string) => ecosystemOf(ecosystem)?.type ?? 'generic';

/**
 * Affected ranges as vers strings, one per merged interval (`vers:npm/>=1.1.0|<1.3.1`), in version
 * order. A single version is written bare, no bound at all as `*`.
 */
export const versRanges = (ecosystem: string, affected: readonly string[]) => intervals(affected, ecosystem).map((i) => versRange(ecosystem, i));

/** One merged interval (osv-ranges.ts) as a vers string. */
export function versRange(ecosystem: string, { lo, hi }: Interval): string {
  const scheme = versScheme(ecosystem);
  if (lo && hi && lo.inclusive && hi.inclusive && lo.v === hi.v) return `vers:${scheme}/${lo.v}`;
  const constraints = [lo && `${lo.inclusive ? '>=' : '>'}${lo.v}`, hi && `${hi.inclusive ? '<=' : '<'}${hi.v}`].filter(Boolean);
  return `vers:${scheme}/${constraints.length ? constraints.join('|') : '*'}`;
}
