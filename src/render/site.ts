// The whole site as data: path → contents, produced one file at a time so a large site never sits
// whole in memory. Pure and deterministic (fixed order, no clock), so two builds of the same input are
// byte-identical.
import { byPublishedDesc } from '../model/advisory.ts';
import type { Advisory } from '../model/advisory.ts';
import { feedItems, renderFeeds } from './feeds.ts';
import { outputKey } from './keys.ts';
import { pageEntries } from './html/index.ts';
import { indexJsonSchema, indexJsonText, osvPath, pagePath, renderIndex } from './index-json.ts';
import { osvEntries } from './osv.ts';
import type { RenderWork, SiteContent, SiteEntries, SiteInput } from './site-input.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

// Defence in depth: whatever the caller passed, an embargoed advisory never reaches a file.
const published = (input: SiteInput) => input.advisories.filter((a) => !a.embargoed).sort(byPublishedDesc);

export function* siteEntries(input: SiteInput): SiteEntries & Generator<[string, SiteContent, string?]> {
  const advisories = published(input);
  yield* renderFeeds(advisories, input.config);
  yield ['index.json', indexJsonText(renderIndex(advisories, input.config))];
  yield ['index.schema.json', json(indexJsonSchema())];
  yield* osvEntries({ ...input, advisories });
  yield* pageEntries({ ...input, advisories });
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
