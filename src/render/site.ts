// The whole site as data: path → contents, produced one file at a time so a large site never sits
// whole in memory. Pure and deterministic (fixed order, no clock), so two builds of the same input are
// byte-identical.
import { byPublishedDesc } from '../model/advisory.ts';
import type { Advisory } from '../model/advisory.ts';
import { feedItems, renderFeeds } from './feeds.ts';
import { outputKey } from './keys.ts';
import { pageEntries } from './html/index.ts';
import { indexJsonSchema, osvPath, pagePath, renderIndex } from './index-json.ts';
import { osvEntries } from './osv.ts';
import type { SiteContent, SiteEntries, SiteInput } from './site-input.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

// Defence in depth: whatever the caller passed, an embargoed advisory never reaches a file.
const published = (input: SiteInput) => input.advisories.filter((a) => !a.embargoed).sort(byPublishedDesc);

export function* siteEntries(input: SiteInput): SiteEntries & Generator<[string, SiteContent, string?]> {
  const advisories = published(input);
  yield* renderFeeds(advisories, input.config);
  yield ['index.json', json(renderIndex(advisories, input.config))];
  yield ['index.schema.json', json(indexJsonSchema())];
  yield* osvEntries({ ...input, advisories });
  yield* pageEntries({ ...input, advisories });
}

/**
 * The advisories whose bodies this build renders: those whose page or OSV record cannot be carried
 * over from the previous build, and those in a feed. The build renders them up front (on every core).
 */
export function toRender(input: SiteInput): Advisory[] {
  const advisories = published(input);
  const inFeeds = new Set(feedItems(advisories));
  return advisories.filter((a) => {
    if (inFeeds.has(a)) return true;
    const key = outputKey(a, input);
    return !key || input.previous?.keyOf(pagePath(a.id)) !== key || input.previous.keyOf(osvPath(a.id)) !== key;
  });
}
