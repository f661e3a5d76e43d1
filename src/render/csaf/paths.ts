// Where the CSAF provider's files live in the site (CSAF 2.0 section 7.1: requirements 7, 11, 13-15).
// TLP:WHITE documents only (the site is public), in one folder per year of first release, each named by
// its lowercased tracking id (section 5.1).
import type { Config } from '../../core/config.ts';

export const CSAF_ROOT = '.well-known/csaf';
export const PROVIDER_METADATA = `${CSAF_ROOT}/provider-metadata.json`;
/** The distribution's directory: index.txt, changes.csv, the ROLIE feed and the year folders. */
export const CSAF_DIR = `${CSAF_ROOT}/white`;
export const ROLIE_FEED = `${CSAF_DIR}/csaf-feed-tlp-white.json`;

/** Section 5.1: lower case, every character but + - a-z 0-9 as `_`, then `.json`. */
export const csafFileName = (trackingId: string) => `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;

/** Inside the distribution directory: `2026/sbx-2026-0001.json`, the year of the initial release. */
export const csafRelative = (trackingId: string, initialRelease: string) => `${initialRelease.slice(0, 4)}/${csafFileName(trackingId)}`;

export const csafPath = (trackingId: string, initialRelease: string) => `${CSAF_DIR}/${csafRelative(trackingId, initialRelease)}`;

// What `new URL(path, siteUrl)` gives for the plain paths above, without parsing a URL per document.
const bases = new WeakMap<Config, string>();
export function siteHref(config: Config, path: string): string {
  let base = bases.get(config);
  if (base === undefined) bases.set(config, (base = new URL('.', config.siteUrl).href));
  return base + path;
}
