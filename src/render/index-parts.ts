// index.html and index.json list every advisory. Each advisory's share of them (its index.json line and
// its index.html list item) depends only on that advisory and the build's context (config, templates,
// the tool's code), so a rebuild takes the unchanged shares from the state folder (project/index-cache.ts)
// and renders only the rest: the two files are the shares joined. Pure, like the rest of render/.
import type { Advisory } from '../model/advisory.ts';
import { advisoryView } from './html/view.ts';
import { indexEntry } from './index-json.ts';
import { outputKey } from './keys.ts';
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

/** The shares of `input.advisories`: `known(key)` gives one made earlier from the same output key. */
export function indexParts(input: SiteInput, known: (key: string) => IndexPart | undefined = () => undefined): Map<Advisory, IndexPart> {
  let render: ReturnType<typeof templateEngine> | undefined;
  const parts = new Map<Advisory, IndexPart>();
  for (const a of input.advisories) {
    const key = outputKey(a, input);
    const part = (key && known(key)) || undefined;
    if (part) {
      parts.set(a, part);
      continue;
    }
    render ??= templateEngine(input.templates);
    parts.set(a, { json: JSON.stringify(indexEntry(a, input.config)), item: render('index-item.html.eta', { advisory: advisoryView(a, input.config), root: '' }) });
  }
  return parts;
}
