// OSV's ecosystem names and id prefixes, as the OSV schema (1.7) lists them; the vendored schema in
// test/schemas/ is the source, and a test fails when the two lists part.
import { didYouMean } from '../did-you-mean.ts';

export const OSV_ECOSYSTEMS = [
  'AlmaLinux', 'Alpaquita', 'Alpine', 'Android', 'Azure Linux', 'BellSoft Hardened Containers', 'Bioconductor',
  'Bitnami', 'Chainguard', 'CleanStart', 'ConanCenter', 'CRAN', 'crates.io', 'Debian', 'Docker Hardened Images',
  'Echo', 'FreeBSD', 'GHC', 'GitHub Actions', 'Go', 'Hackage', 'Hex', 'Julia', 'Kubernetes', 'Linux', 'Mageia',
  'Maven', 'MinimOS', 'npm', 'NuGet', 'opam', 'openEuler', 'openSUSE', 'OSS-Fuzz', 'Packagist', 'Photon OS', 'Pub',
  'PyPI', 'Red Hat', 'Rocky Linux', 'Root', 'RubyGems', 'SUSE', 'SwiftURL', 'TuxCare', 'Ubuntu', 'VSCode', 'Wolfi',
] as const;

/** Prefixes of the databases OSV aggregates: an alias is `PREFIX-…`. */
export const OSV_ID_PREFIXES = [
  'ASB-A', 'PUB-A', 'ALPINE', 'ALSA', 'ALBA', 'ALEA', 'AZL', 'BELL', 'BIT', 'CGA', 'CLEANSTART', 'CLSA', 'CURL', 'CVE',
  'DEBIAN', 'DHI', 'DRUPAL', 'DSA', 'DLA', 'ELA', 'DTSA', 'ECHO', 'EEF', 'FreeBSD', 'GHSA', 'GO', 'GSD', 'HSEC',
  'JLSEC', 'KUBE', 'LBSEC', 'LSN', 'MAL', 'MINI', 'MGASA', 'OESA', 'OSEC', 'OSV', 'openSUSE-SU', 'PHSA', 'PSF',
  'PYSEC', 'RHBA', 'RHEA', 'RHSA', 'RLSA', 'RXSA', 'RSEC', 'ROOT', 'RUSTSEC', 'SUSE-SU', 'SUSE-RU', 'SUSE-FU',
  'SUSE-OU', 'UBUNTU', 'USN', 'V8',
] as const;

const byLength = [...OSV_ID_PREFIXES].sort((a, b) => b.length - a.length);
/**
 * An alias OSV would accept: CVE and GHSA ids in their exact forms, any other registered prefix
 * followed by the database's own id (PYSEC-2024-12, GO-2024-2611, RUSTSEC-2024-0001, OSV-2021-123).
 */
export const ALIAS_PATTERN = new RegExp(
  `^(CVE-\\d{4}-\\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|(${byLength.filter((p) => p !== 'CVE' && p !== 'GHSA').join('|')})-[A-Za-z0-9][A-Za-z0-9._:-]*)$`,
);

/** Why `alias` is not one OSV would accept, naming the form its prefix needs where it has one. */
export function aliasProblem(alias: unknown): string {
  const text = String(alias);
  const known = 'must be an id of a database OSV knows: CVE-…, GHSA-…, PYSEC-…, GO-…, RUSTSEC-…, OSV-…';
  if (/^CVE-/i.test(text)) return `${known}; a CVE id is CVE-YYYY-NNNN, in capitals, with 4 or more digits after the year`;
  if (/^GHSA-/i.test(text)) return `${known}; a GHSA id is GHSA-xxxx-xxxx-xxxx, each x one of 23456789cfghjmpqrvwx (lower case), as GitHub shows it`;
  const prefix = byLength.find((p) => text.toLowerCase().startsWith(`${p.toLowerCase()}-`));
  if (prefix && !text.startsWith(`${prefix}-`)) return `${known}; write the prefix as OSV registers it: ${prefix}-${text.slice(prefix.length + 1)}`;
  return known;
}

/** `PyPI`, and `Debian:12` (a name with a release suffix) are OSV ecosystems; `pypi` is not. */
export function isOsvEcosystem(name: string): boolean {
  const base = name.split(':')[0]!;
  return (OSV_ECOSYSTEMS as readonly string[]).includes(base) && (base === name || name.length > base.length + 1);
}

/** What people write for an ecosystem: its tool, its language. */
const COMMON: Record<string, string> = {
  pip: 'PyPI', python: 'PyPI', cargo: 'crates.io', crates: 'crates.io', rust: 'crates.io', golang: 'Go', gem: 'RubyGems',
  gems: 'RubyGems', ruby: 'RubyGems', java: 'Maven', node: 'npm', nodejs: 'npm', javascript: 'npm', composer: 'Packagist',
  php: 'Packagist', dotnet: 'NuGet', dart: 'Pub', flutter: 'Pub', elixir: 'Hex', erlang: 'Hex', haskell: 'Hackage',
};

export const ecosystemMessage = (name: string) => {
  const base = name.split(':')[0]!;
  const suggestion = COMMON[base.toLowerCase()] ?? didYouMean(base, OSV_ECOSYSTEMS);
  return `\`${name}\` is not an OSV ecosystem name (they are case-sensitive)${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`;
};
