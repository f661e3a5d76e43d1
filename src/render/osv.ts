// One OSV record (schema 1.7) per published advisory, and osv/all.zip the way osv.dev ships a database.
// Our ids are not those of a database OSV aggregates: the spec's `x_` prefix marks them as such.
import type { Config } from '../config/schema.ts';
import { codePoints, type Advisory } from '../model/advisory.ts';
import { osvId, osvPath, pageUrl } from './index-json.ts';
import { osvRanges } from './osv-ranges.ts';
import { outputKey } from './keys.ts';
import { REUSE, type SiteContent, type SiteInput } from './site-input.ts';
import { safeMarkdown } from './safe-markdown.ts';
import { ZipBuilder } from './zip.ts';

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
const details = (a: Advisory) => {
  const parts = detailsParts(a)
    .map((part) => safeMarkdown(part).replace(/^(?:[ \t]*\n)+/, '').trimEnd())
    .filter((part) => part !== '');
  return parts.length ? `${parts.join('\n\n')}\n` : '';
};

export function osvRecord(a: Advisory, config: Config) {
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
    details: details(a),
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

/**
 * Each record as it is made; the archive of them all (sorted: the same input, the same bytes) is
 * compressed meanwhile off the main thread, and comes as a promise once the records are done.
 */
export function* osvEntries(input: Pick<SiteInput, 'advisories' | 'config' | 'templates' | 'fingerprint' | 'previous'>): Generator<[string, SiteContent, string?]> {
  const { config, previous } = input;
  const zip = new ZipBuilder();
  // Ids are ASCII: code-point order; localeCompare cost a fifth of this loop at 10,000 records.
  for (const a of [...input.advisories].sort((x, y) => codePoints(x.id, y.id))) {
    const path = osvPath(a.id);
    const name = `${osvId(a.id)}.json`;
    const key = outputKey(a, input);
    // Rendered from the same key: the previous file, and its archive entry, are these very bytes.
    const same = key !== undefined && previous?.has(path, key) === true;
    const carried = same ? previous!.zipEntry(path, name, key) : undefined;
    const text = carried ? undefined : json(osvRecord(a, config));
    yield [path, same ? REUSE : text!, key];
    zip.add(name, carried ?? Buffer.from(text!));
  }
  yield ['osv/all.zip', zip.finish()];
}
