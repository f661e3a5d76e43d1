// The peer: Eleventy 3 building the same advisories into one page each plus an RSS feed.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = new URL('..', import.meta.url).pathname;
export const ELEVENTY_CMD = join(REPO, 'node_modules/@11ty/eleventy/cmd.cjs');

const CONFIG = `import { feedPlugin } from '@11ty/eleventy-plugin-rss';
export default function (config) {
  config.addGlobalData('layout', 'advisory.liquid');
  // A function value is computed per page (global data given as a function is called once, hence two).
  config.addGlobalData('permalink', () => (data) => 'advisories/' + data.page.fileSlug + '.html');
  config.addCollection('advisories', (api) => api.getFilteredByGlob('**/*.md'));
  config.addPlugin(feedPlugin, {
    type: 'rss',
    outputPath: '/feed.xml',
    collection: { name: 'advisories', limit: 0 },
    metadata: { language: 'en', title: 'Security advisories', subtitle: 'Bench', base: 'https://security.scalebox.dev/', author: { name: 'Security' } },
  });
  // Plain Markdown, no Liquid pass over the bodies: the leanest fair setting for Eleventy.
  return { markdownTemplateEngine: false, dir: { includes: '_includes' } };
}
`;
const LAYOUT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><p>{{ summary }}</p><p>Severity: {{ severity }}</p>{{ content }}</main></body></html>
`;

/** An Eleventy project in `dir` whose input is a copy of the corpus' advisories; `args(output)` builds it into `output`. */
export function prepareEleventy(dir: string, corpusRoot: string): { args: (output: string) => string[] } {
  const input = join(dir, 'src');
  cpSync(join(corpusRoot, 'advisories'), input, { recursive: true });
  mkdirSync(join(input, '_includes'), { recursive: true });
  writeFileSync(join(input, '_includes/advisory.liquid'), LAYOUT);
  writeFileSync(join(dir, 'eleventy.config.mjs'), CONFIG);
  return { args: (output) => [ELEVENTY_CMD, `--config=${join(dir, 'eleventy.config.mjs')}`, `--input=${input}`, `--output=${output}`, '--quiet'] };
}
