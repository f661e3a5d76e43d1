// The whole site as data: path → contents, produced one file at a time so a large site never sits
// whole in memory. Pure and deterministic (fixed order, no clock), so two builds of the same input are
// byte-identical.
import { byPublishedDesc } from '../model/advisory.ts';
import { renderFeeds } from './feeds.ts';
import { pageEntries } from './html/index.ts';
import { indexJsonSchema, renderIndex } from './index-json.ts';
import { osvEntries } from './osv.ts';
import type { SiteContent, SiteEntries, SiteInput } from './site-input.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function* siteEntries(input: SiteInput): SiteEntries & Generator<[string, SiteContent]> {
  // Defence in depth: whatever the caller passed, an embargoed advisory never reaches a file.
  const advisories = input.advisories.filter((a) => !a.embargoed).sort(byPublishedDesc);
  yield* renderFeeds(advisories, input.config);
  yield ['index.json', json(renderIndex(advisories, input.config))];
  yield ['index.schema.json', json(indexJsonSchema())];
  yield* osvEntries(advisories, input.config);
  yield* pageEntries({ ...input, advisories });
}

