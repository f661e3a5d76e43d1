// The version rules of an advisory's ecosystem: one module per ecosystem behind VersionScheme.
// Ecosystems without a module of their own are read as npm's SemVer, which is what this tool did
// for every ecosystem before; their OSV ranges are ECOSYSTEM ranges all the same.
import { cratesIo } from './crates-io.ts';
import { go } from './go.ts';
import { maven } from './maven.ts';
import { npm } from './npm.ts';
import { pypi } from './pypi.ts';
import { rubygems } from './rubygems.ts';
import type { VersionScheme } from './types.ts';

export type { Bound, Interval, VersionScheme } from './types.ts';
export { contains, intersects, merge, overlaps, satisfies, validRange, validVersion } from './intervals.ts';
export { ALIAS_PATTERN, OSV_ECOSYSTEMS, aliasProblem, ecosystemMessage, isOsvEcosystem } from './names.ts';

export const SCHEMES: readonly VersionScheme[] = [npm, pypi, go, cratesIo, rubygems, maven];
const byName = new Map(SCHEMES.map((s) => [s.ecosystem, s]));
const fallback = new Map<string, VersionScheme>();

/** The scheme for an OSV ecosystem name (`Debian:12` by its base name). */
export function schemeFor(ecosystem: string): VersionScheme {
  const base = ecosystem.split(':')[0]!;
  const own = byName.get(base);
  if (own) return own;
  let other = fallback.get(base);
  if (!other) fallback.set(base, (other = { ...npm, ecosystem: base, osvRangeType: 'ECOSYSTEM' }));
  return other;
}

/** The upgrade advice for an advisory: the config's template when it sets one, else its ecosystem's. */
export const upgradeTemplate = (configured: string | undefined, ecosystem: string) => configured ?? schemeFor(ecosystem).upgradeCommand;

/** The template filled in, with the version as the ecosystem's users type it. */
export function upgradeCommand(template: string, ecosystem: string, pkg: string, version: string): string {
  return template.replaceAll('{package}', pkg).replaceAll('{version}', schemeFor(ecosystem).display(version));
}
