// Canonical pages for identifiers an advisory cites. Built from ids the schema already validated.
export function aliasUrl(alias: string): string | null {
  if (/^CVE-\d{4}-\d{4,}$/.test(alias)) return `https://www.cve.org/CVERecord?id=${alias}`;
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.test(alias)) return `https://github.com/advisories/${alias}`;
  return null;
}

export function cweUrl(cwe: string): string | null {
  const n = /^CWE-(\d+)$/.exec(cwe)?.[1];
  return n ? `https://cwe.mitre.org/data/definitions/${n}.html` : null;
}

/** FIRST's calculator opens with the vector filled in. */
export function cvssCalculatorUrl(version: '3.1' | '4.0', vector: string): string {
  return `https://www.first.org/cvss/calculator/${version}#${vector}`;
}

/** The site's own feeds: discovered through <link rel="alternate"> on every page. */
export const FEEDS = [
  { type: 'application/rss+xml', path: 'feed.xml', label: 'RSS' },
  { type: 'application/atom+xml', path: 'atom.xml', label: 'Atom' },
  { type: 'application/feed+json', path: 'feed.json', label: 'JSON Feed' },
] as const;
