// index.json: the machine-readable list of published advisories that scripts and bots consume.
// The zod schema is the contract; index.schema.json beside it is generated from it. Add fields, never move one.
import { z } from 'zod';
import type { Config } from '../core/config.ts';
import type { Advisory } from '../core/advisory.ts';
import { Severity } from '../core/schema.ts';

export const INDEX_VERSION = 1;

const LineEntry = z.strictObject({
  line: z.string().describe('Version line as written in SECURITY.md, e.g. 1.x.x'),
  range: z.string().describe('The semver range of that line'),
  supported: z.boolean(),
  affected: z.boolean(),
  fixedIn: z.string().nullable().describe('Patched release for this line; null when none'),
});

export const IndexEntry = z.strictObject({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  severity: Severity,
  cvss: z.strictObject({ version: z.enum(['3.1', '4.0']), vector: z.string(), score: z.number() }).nullable(),
  package: z.string(),
  ecosystem: z.string(),
  aliases: z.array(z.string()),
  cwe: z.array(z.string()),
  affected: z.array(z.string()).describe('Semver ranges'),
  patched: z.array(z.string()),
  lines: z.array(LineEntry),
  unsupportedOnly: z.boolean().describe('Only unsupported lines are affected: no fix for unsupported versions'),
  reported: z.string(),
  published: z.string(),
  modified: z.string(),
  withdrawn: z.strictObject({ at: z.string(), reason: z.string() }).nullable(),
  url: z.string().describe('The advisory page'),
  osv: z.string().describe('The OSV record'),
  osvId: z.string().describe('Id of the OSV record: `x_` + id, the OSV prefix for a database OSV does not aggregate'),
});

export const SiteIndex = z.strictObject({
  version: z.literal(INDEX_VERSION),
  product: z.string(),
  updated: z.string().nullable().describe('Newest `modified` of all entries; null when there are none'),
  advisories: z.array(IndexEntry).describe('Newest first'),
});

export type IndexEntry = z.infer<typeof IndexEntry>;
export type SiteIndex = z.infer<typeof SiteIndex>;

/** An advisory's page and OSV record inside the site: stable URLs (docs/site.md). */
export const pagePath = (id: string) => `advisories/${id}.html`;
export const osvPath = (id: string) => `osv/${id}.json`;
export const pageUrl = (config: Config, id: string) => new URL(pagePath(id), config.siteUrl).href;
export const osvUrl = (config: Config, id: string) => new URL(osvPath(id), config.siteUrl).href;
/** Our ids are not of a database OSV aggregates: the OSV schema's id pattern wants the `x_` prefix. */
export const osvId = (id: string) => `x_${id}`;

export function indexEntry(a: Advisory, config: Config): IndexEntry {
  return {
    id: a.id,
    title: a.title,
    summary: a.summary,
    severity: a.severity,
    cvss: a.cvssScore ? { version: a.cvssScore.version, vector: a.cvssScore.vector, score: a.cvssScore.score } : null,
    package: a.package,
    ecosystem: a.ecosystem,
    aliases: a.aliases,
    cwe: a.cwe,
    affected: a.affected,
    patched: a.patched,
    lines: a.lines.map((l) => ({ line: l.spec, range: l.range, supported: l.supported, affected: l.affected, fixedIn: l.fixedIn })),
    unsupportedOnly: a.unsupportedOnly,
    reported: a.reported,
    published: a.published,
    modified: a.modified,
    withdrawn: a.withdrawn ?? null,
    url: pageUrl(config, a.id),
    osv: osvUrl(config, a.id),
    osvId: osvId(a.id),
  };
}

/**
 * index.json's text from its entries' lines (compact JSON, newest first): one advisory per line. Tens of
 * thousands of entries indented would be twice the bytes to write and download; a line each still diffs
 * and greps by advisory.
 */
export function indexJsonText(head: Omit<SiteIndex, 'advisories'>, lines: readonly string[]): string {
  return `${JSON.stringify(head).slice(0, -1)},"advisories":[${lines.length > 0 ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/** Everything in index.json but the entries. `advisories` must already be the published ones. */
export function indexHead(advisories: readonly Advisory[], config: Config): Omit<SiteIndex, 'advisories'> {
  const updated = advisories.reduce<string | null>((m, a) => (m === null || a.modified > m ? a.modified : m), null);
  return { version: INDEX_VERSION, product: config.product, updated };
}

export const indexJsonSchema = () => ({
  ...z.toJSONSchema(SiteIndex, { io: 'output' }),
  title: 'Advisory index (index.json)',
});
