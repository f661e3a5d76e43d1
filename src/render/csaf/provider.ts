// The files a CSAF downloader or aggregator starts from (CSAF 2.0 section 7): provider-metadata.json,
// the ROLIE feed, index.txt and changes.csv of the one TLP:WHITE distribution directory. Dates are the
// documents' own (no build time), so an unchanged input gives unchanged files.
import type { Config } from '../../core/config.ts';
import type { CsafKey } from '../site-input.ts';
import { publisher } from './document.ts';
import { CSAF_DIR, PROVIDER_METADATA, ROLIE_FEED, siteHref } from './paths.ts';

/** What the provider files say of one document. */
export interface Listed {
  id: string;
  title: string;
  summary: string;
  /** Path inside the site, and inside the distribution directory. */
  path: string;
  relative: string;
  initial: string;
  current: string;
}


export const keyPath = (key: CsafKey) => `${CSAF_DIR.replace(/\/white$/, '')}/openpgp/${key.fingerprint.toUpperCase()}.asc`;

const EPOCH = '1970-01-01T00:00:00Z';
const newest = (docs: readonly Listed[]) => docs.reduce((m, d) => (d.current > m ? d.current : m), EPOCH);
const dir = (config: Config) => siteHref(config, `${CSAF_DIR}/`);

export function providerMetadata(config: Config, docs: readonly Listed[], key: CsafKey | undefined) {
  return {
    canonical_url: siteHref(config, PROVIDER_METADATA),
    distributions: [
      {
        directory_url: dir(config),
        rolie: { feeds: [{ summary: 'TLP:WHITE advisories', tlp_label: 'WHITE', url: siteHref(config, ROLIE_FEED) }] },
      },
    ],
    last_updated: newest(docs),
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    ...(key ? { public_openpgp_keys: [{ fingerprint: key.fingerprint.toUpperCase(), url: siteHref(config, keyPath(key)) }] } : {}),
    publisher: publisher(config),
    // Section 7.1: a trusted provider signs every document (requirement 19); without a key, a provider.
    role: key ? 'csaf_trusted_provider' : 'csaf_provider',
  };
}

/** ROLIE (RFC 8322) in its JSON form, as section 7.1.16 and csaf_downloader read it; newest first. */
export function rolieFeed(config: Config, docs: readonly Listed[], signed: boolean) {
  const byCurrent = [...docs].sort((x, y) => (x.current < y.current ? 1 : x.current > y.current ? -1 : x.path < y.path ? -1 : 1));
  return {
    feed: {
      id: 'csaf-feed-tlp-white',
      title: `${publisher(config).name} CSAF feed (TLP:WHITE)`,
      link: [{ rel: 'self', href: siteHref(config, ROLIE_FEED) }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated: newest(docs),
      entry: byCurrent.map((d) => {
        const url = siteHref(config, d.path);
        return {
          id: d.id,
          title: d.title,
          link: [
            { rel: 'self', href: url },
            { rel: 'hash', href: `${url}.sha256` },
            { rel: 'hash', href: `${url}.sha512` },
            ...(signed ? [{ rel: 'signature', href: `${url}.asc` }] : []),
          ],
          published: d.initial,
          updated: d.current,
          summary: { content: d.summary },
          content: { type: 'application/json', src: url },
          format: { schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' },
        };
      }),
    },
  };
}

/** Section 7.1.13: every document's path inside the directory, one a line. */
export const indexTxt = (docs: readonly Listed[]) => docs.map((d) => `${d.relative}\n`).sort().join('');

/** Section 7.1.14: path and current release date, newest change first. */
export function changesCsv(docs: readonly Listed[]): string {
  return [...docs]
    .sort((x, y) => (x.current < y.current ? 1 : x.current > y.current ? -1 : x.relative < y.relative ? -1 : 1))
    .map((d) => `"${d.relative}","${d.current}"\n`)
    .join('');
}
