// HTML pages from templates/ (escaping by default); bodies through the sanitising Markdown renderer.
import { renderBody } from '../body.ts';
import { indexEntry } from '../index-json.ts';
import type { SiteFiles, SiteInput } from '../site-input.ts';
import { templateEngine } from '../templates.ts';

export function renderPages(input: SiteInput): SiteFiles {
  const render = templateEngine(input.templates);
  const files: SiteFiles = new Map();
  const entries = input.advisories.map((a) => ({ advisory: a, entry: indexEntry(a, input.config), bodyHtml: renderBody(a.body) }));
  files.set('index.html', render('index.html.eta', { config: input.config, entries }));
  for (const e of entries) files.set(`advisories/${e.advisory.id}.html`, render('advisory.html.eta', { config: input.config, ...e }));
  return files;
}
