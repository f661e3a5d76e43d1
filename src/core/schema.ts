// The advisory frontmatter: one strict zod schema. Every type in the code is inferred from it,
// and schema/advisory.schema.json is generated from it (npm run schema).
import { z } from 'zod';
import { ALIAS_PATTERN, aliasProblem, ecosystemMessage, isOsvEcosystem } from './ecosystems/names.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** Most severe first. */
export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/** An OSV ecosystem name, exactly as OSV spells it (scanners match it case-sensitively). */
export const Ecosystem = z
  .string()
  .min(1)
  .refine(isOsvEcosystem, { error: (issue) => ecosystemMessage(String(issue.input)) });

export const ID_PATTERN = /^[A-Z][A-Z0-9]*-\d{4}-\d{4,}$/;

/** The next free id of the year: highest number in use (any year's file for that prefix) + 1, per year. */
export function nextId(existing: readonly string[], prefix: string, year: number): string {
  const pattern = new RegExp(`^${prefix}-${year}-(\\d{4,})$`);
  const max = existing.reduce((m, id) => Math.max(m, Number(pattern.exec(id)?.[1] ?? 0)), 0);
  return `${prefix}-${year}-${String(max + 1).padStart(4, '0')}`;
}

const toUtcIso = (value: string) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString().replace('.000Z', 'Z');

const Timestamp = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform(toUtcIso)
  .describe('ISO 8601 timestamp, e.g. 2026-03-04T12:00:00Z (a date alone means 00:00 UTC)');

const CREDIT_TYPES = [
  'finder', 'reporter', 'analyst', 'coordinator', 'remediation_developer',
  'remediation_reviewer', 'remediation_verifier', 'tool', 'sponsor', 'other',
] as const;
const REFERENCE_TYPES = [
  'advisory', 'article', 'detection', 'discussion', 'report', 'fix', 'introduced', 'package', 'evidence', 'web',
] as const;

/** A link a reader may follow: http(s) only, so no javascript:, data: or file: URL reaches a page, a feed or an OSV record. */
export const WebUrl = () => z.url({ protocol: /^https?$/, error: 'must be an https: or http: URL (no javascript:, data: or other schemes)' });

// A contact is copied into the OSV record and may be shown as a link: only schemes a reader can follow safely.
const SAFE_CONTACT = 'must be an https:, http: or mailto: URL, or an e-mail address (no javascript:, data: or other schemes)';
function isSafeContact(value: string): boolean {
  if (/^[^\s@:/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'mailto:' ? url.pathname.includes('@') : (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const Credit = z
  .union([
    z.string().min(1),
    z.strictObject({
      name: z.string().min(1),
      type: z.enum(CREDIT_TYPES).optional(),
      contact: z.array(z.string().refine(isSafeContact, SAFE_CONTACT)).optional(),
    }),
  ])
  .transform((c) => (typeof c === 'string' ? { name: c } : c));

const Reference = z
  .union([
    WebUrl(),
    z.strictObject({ type: z.enum(REFERENCE_TYPES), url: WebUrl() }),
  ])
  .transform((r) => (typeof r === 'string' ? { type: 'web' as const, url: r } : r));

const oneOrMany = <T extends z.ZodType>(item: T, min = 1) =>
  z.union([item, z.array(item).min(min)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

export const AdvisoryFrontmatter = z.strictObject({
  id: z.string().regex(ID_PATTERN, 'must look like PREFIX-YYYY-NNNN').describe('Advisory id, equal to the file name, e.g. SBX-2026-0001'),
  title: z.string().min(1).max(200).describe('One-line title, plain text'),
  summary: z.string().min(1).max(400).describe('One-sentence summary, plain text'),
  severity: Severity.describe('critical | high | medium | low'),
  cvss: z.string().optional().describe('CVSS 3.1 or 4.0 base vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  package: z.string().min(1).optional().describe('Package name; defaults to the config'),
  ecosystem: Ecosystem.optional().describe('OSV ecosystem, e.g. npm, PyPI, Go, crates.io, RubyGems, Maven; defaults to the config'),
  affected: oneOrMany(z.string().min(1)).describe('Range or list of ranges in the ecosystem\'s notation, e.g. ">=1.0.0 <1.4.2" (npm), ">=1.0,<1.4.2" (PyPI)'),
  patched: oneOrMany(z.string().min(1), 0).default([]).describe('Fixed versions, one per supported line, e.g. [1.4.2]'),
  aliases: z
    .array(z.string().regex(ALIAS_PATTERN, { error: (issue) => aliasProblem(issue.input) }))
    .default([])
    .describe('Ids of the same vulnerability elsewhere: CVE, GHSA, PYSEC, GO, RUSTSEC, OSV and the other prefixes OSV registers'),
  cwe: z.array(z.string().regex(/^CWE-\d+$/, 'must look like CWE-79')).default([]).describe('CWE ids, e.g. [CWE-79]'),
  credits: z.array(Credit).default([]).describe('Names, or {name, type, contact}'),
  references: z.array(Reference).default([]).describe('URLs, or {type, url}'),
  reported: z.iso.date().describe('Date the report arrived, YYYY-MM-DD'),
  published: Timestamp.describe('Publication time; in the future means embargoed until then'),
  modified: Timestamp.optional().describe('Last material change; defaults to the last git commit of the file'),
  withdrawn: z
    .strictObject({ at: Timestamp, reason: z.string().min(1) })
    .optional()
    .describe('Withdrawal: {at, reason}'),
});

export type AdvisoryFrontmatter = z.output<typeof AdvisoryFrontmatter>;

/**
 * The clear part of a sealed advisory: only what the schedule needs (which file, and when it may be
 * published). Everything else is in the age ciphertext below it (check/sealed.ts).
 */
export const SealedHeader = z.strictObject({
  id: AdvisoryFrontmatter.shape.id,
  published: AdvisoryFrontmatter.shape.published,
  sealed: z.literal('age').describe('How the rest is encrypted: age, for the recipients in the config'),
});
export type SealedHeader = z.output<typeof SealedHeader>;
export type AdvisoryInput = z.input<typeof AdvisoryFrontmatter>;
export const FIELDS = Object.keys(AdvisoryFrontmatter.shape) as (keyof AdvisoryInput)[];
