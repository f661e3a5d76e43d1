// The whole site as data: path → contents, produced one file at a time so a large site never sits
// whole in memory. Pure and deterministic (fixed order, no clock), so two builds of the same input are
// byte-identical.
import { byPublishedDesc } from '../core/advisory.ts';
import { csafEntries } from './csaf/index.ts';
import { feedEntries } from './feeds.ts';
import { pageEntries } from './html/index.ts';
import { indexHead, indexJsonSchema, indexJsonText } from './index-json.ts';
import { indexParts } from './index-parts.ts';
import { osvEntries } from './osv.ts';
import type { SiteContent, SiteInput } from './site-input.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function* siteEntries(input: SiteInput): Generator<[string, SiteContent]> {
  // Defence in depth: whatever the caller passed, an embargoed advisory never reaches a file.
  const advisories = input.advisories.filter((a) => !a.embargoed).sort(byPublishedDesc);
  const ordered = { ...input, advisories };
  // The OSV records first: their archive is the longest single piece of the writer's work, so it starts first.
  yield* osvEntries(ordered);
  yield* feedEntries(advisories, ordered);
  const parts = indexParts(ordered);
  yield ['index.json', indexJsonText(indexHead(advisories, input.config), advisories.map((a) => parts.get(a)!.json))];
  yield ['index.schema.json', json(indexJsonSchema())];
  yield* pageEntries(ordered, parts);
  if (input.config.csaf.enabled) yield* csafEntries(ordered);
}
