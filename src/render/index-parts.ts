// index.html and index.json list every advisory: each advisory's share of them (its index.json line
// and its index.html list item) depends only on that advisory and the site's config and templates.
import type { Advisory } from '../core/advisory.ts';
import { advisoryView } from './html/view.ts';
import { indexEntry } from './index-json.ts';
import type { SiteInput } from './site-input.ts';
import { templateEngine } from './templates.ts';

/** One advisory's share of the index files. */
export interface IndexPart {
  /** Its line of index.json: the entry as compact JSON. */
  json: string;
  /** Its item of index.html's list (templates/index-item.html.eta). */
  item: string;
}

export type IndexParts = ReadonlyMap<Advisory, IndexPart>;

export function indexParts(input: Pick<SiteInput, 'advisories' | 'config' | 'templates'>): Map<Advisory, IndexPart> {
  const render = templateEngine(input.templates);
  return new Map(
    input.advisories.map((a) => [
      a,
      { json: JSON.stringify(indexEntry(a, input.config)), item: render('index-item.html.eta', { advisory: advisoryView(a, input.config), root: '' }) },
    ]),
  );
}
