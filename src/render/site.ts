// The whole site as data: path → contents, produced one file at a time so a large site never sits
// whole in memory. Pure and deterministic (fixed order, no clock), so two builds of the same input are
// byte-identical.
import { byPublishedDesc } from '../model/advisory.ts';
import type { Advisory } from '../model/advisory.ts';
import { feedEntries, feedItems } from './feeds.ts';
import { outputKey } from './keys.ts';
import { pageEntries } from './html/index.ts';
import { indexHead, indexJsonSchema, indexJsonText, osvPath, pagePath } from './index-json.ts';
import { indexParts } from './index-parts.ts';
import { osvEntries } from './osv.ts';
import type { RenderWork, SiteContent, SiteEntries, SiteInput } from './site-input.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

// Defence in depth: whatever the caller passed, an embargoed advisory never reaches a file.
// Made once per input (toRender and siteEntries both need it); callers never change the array.
const publishedOf = new WeakMap<SiteInput, readonly Advisory[]>();
const published = (input: SiteInput): readonly Advisory[] => {
  let list = publishedOf.get(input);
  if (!list) publishedOf.set(input, (list = input.advisories.filter((a) => !a.embargoed).sort(byPublishedDesc)));
  return list;
};

export function* siteEntries(input: SiteInput): SiteEntries & Generator<[string, SiteContent, string?]> {
  const advisories = published(input);
  yield* feedEntries(advisories, input);
  const ordered = { ...input, advisories };
  // Each advisory's share of the index files, from an earlier build where its key is unchanged.
  const parts = indexParts(ordered, input.indexParts);
  yield ['index.json', indexJsonText(indexHead(advisories, input.config), advisories.map((a) => parts.get(a)!.json))];
  yield ['index.schema.json', json(indexJsonSchema())];
  yield* osvEntries(ordered);
  yield* pageEntries(ordered, parts);
}

/**
 * What this build renders up front (on every core): the bodies of the pages and OSV records that cannot
 * be carried over from an earlier build, and of the feeds' items, which the feeds render every time.
 */
export function toRender(input: SiteInput): RenderWork {
  const advisories = published(input);
  const feeds = feedItems(advisories);
  const inFeeds = new Set(feeds);
  const fresh = (a: Advisory, path: string) => {
    const key = outputKey(a, input);
    return !key || !input.previous?.has(path, key);
  };
  return {
    html: advisories.filter((a) => inFeeds.has(a) || fresh(a, pagePath(a.id))),
    osv: advisories.filter((a) => fresh(a, osvPath(a.id))),
    feeds,
  };
}
