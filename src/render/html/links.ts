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

/** A package's page on its registry, for the ecosystems that have one at a predictable address. */
export function registryUrl(ecosystem: string, name: string): string | null {
  const n = encodeURIComponent(name);
  switch (ecosystem.toLowerCase()) {
    case 'npm':
      return `https://www.npmjs.com/package/${name.split('/').map(encodeURIComponent).join('/')}`;
    case 'pypi':
      return `https://pypi.org/project/${n}/`;
    case 'crates.io':
      return `https://crates.io/crates/${n}`;
    case 'rubygems':
      return `https://rubygems.org/gems/${n}`;
    case 'go':
      return `https://pkg.go.dev/${name.split('/').map(encodeURIComponent).join('/')}`;
    case 'nuget':
      return `https://www.nuget.org/packages/${n}`;
    case 'packagist':
      return `https://packagist.org/packages/${name.split('/').map(encodeURIComponent).join('/')}`;
    case 'hex':
      return `https://hex.pm/packages/${n}`;
    case 'pub':
      return `https://pub.dev/packages/${n}`;
    case 'maven': {
      const [group, artifact] = name.split(':');
      return group && artifact ? `https://central.sonatype.com/artifact/${encodeURIComponent(group)}/${encodeURIComponent(artifact)}` : null;
    }
    default:
      return null;
  }
}

export interface ProjectLinks {
  repository?: string;
  package?: string;
  securityPolicy?: string;
  subscribe?: string;
}

/** The links every page's footer shows; each only when known. Escaped by the templates like any text. */
export function projectLinks(config: { repository?: string | undefined; packageUrl?: string | undefined; securityPolicyUrl?: string | undefined; subscribeUrl?: string | undefined; service?: unknown; ecosystem: string; package?: string | undefined }): ProjectLinks {
  // With the list service configured, every page carries the form itself: the link goes to it.
  const subscribe = config.subscribeUrl ?? (config.service ? '#subscribe-title' : undefined);
  const github = config.repository && /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(?=\.git$|$|[/?#])/.exec(config.repository)?.[0];
  const pkg = config.packageUrl ?? (config.package ? registryUrl(config.ecosystem, config.package) : null);
  const policy = config.securityPolicyUrl ?? (github ? `${github}/security/policy` : undefined);
  return {
    ...(config.repository ? { repository: config.repository } : {}),
    ...(pkg ? { package: pkg } : {}),
    ...(policy ? { securityPolicy: policy } : {}),
    ...(subscribe ? { subscribe } : {}),
  };
}
