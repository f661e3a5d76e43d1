// A second peer, when installed: Hugo building the same advisories (frontmatter kept) into one page each,
// a list page and an RSS feed with every item's content. A reference mark for roughly comparable work,
// not a like-for-like port of this tool's site.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Hugo's path and version, or undefined when `command -v hugo` finds none. */
export function findHugo(): { path: string; version: string } | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v hugo'], { encoding: 'utf8', timeout: 10_000 }).trim();
    if (!path) return undefined;
    const version = execFileSync(path, ['version'], { encoding: 'utf8', timeout: 30_000 }).trim();
    return { path, version: /v\d+\.\d+\.\d+\S*/.exec(version)?.[0] ?? version };
  } catch {
    return undefined;
  }
}

// `aliases` is a Hugo front matter key (redirect pages): disableAliases keeps it data, as it is for us.
// The dates (published: ...) are in the past; --buildFuture/--buildExpired only guard against a wrong clock.
const CONFIG = `baseURL = "https://security.bench.example/"
title = "Security advisories"
languageCode = "en"
disableAliases = true
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]
rssLimit = -1
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  page = ["HTML"]
`;
const SINGLE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p><p>Severity: {{ .Params.severity }}</p>{{ .Content }}</main></body></html>
`;
const LIST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.severity }})</li>{{ end }}</ul></main></body></html>
`;
const RSS = `{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Site.Title }}</title><link>{{ .Permalink }}</link><description>Security advisories</description>
{{ range .RegularPagesRecursive }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>{{ with .PublishDate }}<pubDate>{{ .Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>{{ end }}<description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>
`;

/** A Hugo site in `dir` whose content is a copy of the corpus' advisories; `args(output, cache)` builds it cold. */
export function prepareHugo(dir: string, corpusRoot: string): { args: (output: string, cacheDir: string) => string[] } {
  cpSync(join(corpusRoot, 'advisories'), join(dir, 'content/advisories'), { recursive: true });
  writeFileSync(join(dir, 'content/advisories/_index.md'), '---\ntitle: Advisories\n---\n');
  mkdirSync(join(dir, 'layouts/_default'), { recursive: true });
  writeFileSync(join(dir, 'config.toml'), CONFIG);
  writeFileSync(join(dir, 'layouts/_default/single.html'), SINGLE);
  writeFileSync(join(dir, 'layouts/_default/list.html'), LIST);
  writeFileSync(join(dir, 'layouts/_default/rss.xml'), RSS);
  return {
    args: (output, cacheDir) => ['--quiet', '--source', dir, '--destination', output, '--cacheDir', cacheDir, '--buildFuture', '--buildExpired', '--noBuildLock'],
  };
}
