// The whole site as data: path → contents. Pure and deterministic (sorted paths, no clock), so two
// builds of the same input are byte-identical.
import { byPublishedDesc } from '../model/advisory.ts';
import { renderFeeds } from './feeds.ts';
import { renderPages } from './html/index.ts';
import { indexJsonSchema, renderIndex } from './index-json.ts';
import { renderOsv } from './osv.ts';
import type { SiteFiles, SiteInput } from './site-input.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function renderSite(input: SiteInput): SiteFiles {
  // Defence in depth: whatever the caller passed, an embargoed advisory never reaches a file.
  const advisories = input.advisories.filter((a) => !a.embargoed).sort(byPublishedDesc);
  const safeInput: SiteInput = { ...input, advisories };
  const parts: Map<string, string | Uint8Array>[] = [
    renderFeeds(advisories, input.config),
    new Map([
      ['index.json', json(renderIndex(advisories, input.config))],
      ['index.schema.json', json(indexJsonSchema())],
    ]),
    renderOsv(advisories, input.config),
    renderPages(safeInput),
  ];
  const files: SiteFiles = new Map();
  for (const part of parts) {
    for (const [path, content] of part) {
      if (files.has(path)) throw new Error(`two renderers wrote ${path}`);
      files.set(path, content);
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
