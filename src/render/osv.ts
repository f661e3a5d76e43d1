// One OSV record (schema 1.7) per published advisory, and osv/all.zip the way osv.dev ships a database.
// Our ids are not those of a database OSV aggregates: the spec's `x_` prefix marks them as such.
import type { Config } from '../core/config.ts';
import { codePoints, type Advisory } from '../core/advisory.ts';
import { osvId, osvPath, pageUrl } from './index-json.ts';
import { osvRanges } from './osv-ranges.ts';
import { markdownRenderer } from './markdown.ts';
import type { MarkdownRenderer, SiteContent, SiteInput } from './site-input.ts';

export const OSV_SCHEMA_VERSION = '1.7.4';

const purl = (ecosystem: string, name: string) =>
  ecosystem === 'npm' ? `pkg:npm/${name.split('/').map(encodeURIComponent).join('/')}` : undefined;

/**
 * The summary, then the body: CommonMark with raw HTML and unsafe links removed. The two are cleaned
 * apart, so the body's one parse serves its page, its feed items and this.
 */
export function detailsParts(a: Pick<Advisory, 'withdrawn' | 'summary' | 'body'>): [string, string] {
  const withdrawn = a.withdrawn ? `**Withdrawn** on ${a.withdrawn.at.slice(0, 10)}: ${a.withdrawn.reason}\n\n` : '';
  return [`${withdrawn}${a.summary}`, a.body];
}
// Separate blocks, so the summary never runs into the body's first paragraph.
const details = (a: Advisory, markdown: MarkdownRenderer) => {
  const parts = detailsParts(a)
    .map((part) => markdown.osvDetails(part).replace(/^(?:[ \t]*\n)+/, '').trimEnd())
    .filter((part) => part !== '');
  return parts.length ? `${parts.join('\n\n')}\n` : '';
};

export function osvRecord(a: Advisory, config: Config, markdown: MarkdownRenderer = markdownRenderer) {
  const severity = a.cvssScore ? [{ type: a.cvssScore.version === '3.1' ? 'CVSS_V3' : 'CVSS_V4', score: a.cvssScore.vector }] : undefined;
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(a.id),
    modified: a.modified,
    published: a.published,
    ...(a.withdrawn ? { withdrawn: a.withdrawn.at } : {}),
    aliases: a.aliases,
    // The spec asks for the withdrawal's rationale in the summary.
    summary: a.withdrawn ? `Withdrawn: ${a.withdrawn.reason} (was: ${a.title})` : a.title,
    details: details(a, markdown),
    ...(severity ? { severity } : {}),
    affected: [
      {
        package: { ecosystem: a.ecosystem, name: a.package, ...(purl(a.ecosystem, a.package) ? { purl: purl(a.ecosystem, a.package) } : {}) },
        ranges: osvRanges(a.affected, a.patched, a.ecosystem),
        database_specific: { affected: a.affected, patched: a.patched },
      },
    ],
    references: [
      { type: 'ADVISORY', url: pageUrl(config, a.id) },
      ...a.references.map((r) => ({ type: r.type.toUpperCase(), url: r.url })),
    ],
    ...(a.credits.length > 0
      ? { credits: a.credits.map((c) => ({ name: c.name, ...(c.contact ? { contact: c.contact } : {}), ...(c.type ? { type: c.type.toUpperCase() } : {}) })) }
      : {}),
    database_specific: {
      id: a.id,
      url: pageUrl(config, a.id),
      severity: a.severity.toUpperCase(),
      ...(a.cvssScore ? { cvss_score: a.cvssScore.score } : {}),
      cwe_ids: a.cwe,
      lines: a.lines.map((l) => ({ line: l.spec, range: l.range, supported: l.supported, affected: l.affected, fixed_in: l.fixedIn })),
      unsupported_only: a.unsupportedOnly,
      ...(a.withdrawn ? { withdrawn_reason: a.withdrawn.reason } : {}),
    },
  };
}

export type OsvRecord = ReturnType<typeof osvRecord>;

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** Each record as it is made, in id order (the archive in publish/ takes them in this order). */
export function* osvEntries(input: Pick<SiteInput, 'advisories' | 'config' | 'markdown'>): Generator<[string, SiteContent]> {
  // Ids are ASCII: code-point order, the same as locale order and far cheaper.
  const sorted = [...input.advisories].sort((x, y) => codePoints(x.id, y.id));
  // The whole database in one file, the way osv.dev ships one: the records under their OSV ids. Said
  // first, so that the writer can pack each record as it passes.
  yield ['osv/all.zip', { archive: sorted.map((a) => ({ name: `${osvId(a.id)}.json`, path: osvPath(a.id) })) }];
  // Everything a record is made from (the Markdown renderer's answers follow from the body).
  const shared = { config: input.config };
  for (const a of sorted) yield [osvPath(a.id), { from: ['osv', shared, a], make: () => json(osvRecord(a, input.config, input.markdown)) }];
}
