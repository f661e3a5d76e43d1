// Runs the zod schema and maps every issue to the exact YAML node through the document's positions.
import type { z } from 'zod';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import type { ParsedAdvisory } from './parse-advisory.ts';
import { didYouMean } from './did-you-mean.ts';
import { AdvisoryFrontmatter, FIELDS } from '../core/schema.ts';

type Key = string | number;

function has(data: unknown, path: readonly Key[]): boolean {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return false;
    cur = (cur as Record<Key, unknown>)[key];
  }
  return cur !== undefined && cur !== null;
}

function describe(path: readonly Key[]): string | undefined {
  const top = path[0];
  if (typeof top !== 'string' || !(top in AdvisoryFrontmatter.shape)) return undefined;
  return (AdvisoryFrontmatter.shape as Record<string, z.ZodType>)[top]!.description;
}

function valueAt(data: unknown, path: readonly Key[]): unknown {
  return path.reduce<unknown>((cur, key) => (cur !== null && typeof cur === 'object' ? (cur as Record<Key, unknown>)[key] : undefined), data);
}

const keyName = (path: readonly Key[]) => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join('');

export function issueToDiagnostics(parsed: ParsedAdvisory, issue: z.core.$ZodIssue): Diagnostic[] {
  const { file } = parsed;
  const path = issue.path as Key[];
  if (issue.code === 'unrecognized_keys') {
    const known = path.length === 0 ? (FIELDS as string[]) : [];
    return issue.keys.map((key) =>
      diag('schema-unknown-key', file, parsed.place([...path, key], 'key'), {
        key: keyName([...path, key]),
        suggestion: known.length ? didYouMean(key, known) : undefined,
        known: known.join(', ') || 'see the README',
      }),
    );
  }
  const place = parsed.place(path);
  if (!has(parsed.data, path) && path.length > 0) {
    return [diag('schema-required', file, place, { key: keyName(path), example: describe(path)?.match(/e\.g\. (.*)$/)?.[1] })];
  }
  let reason = issue.code === 'invalid_union' ? 'has the wrong form' : issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof valueAt(parsed.data, path) === 'number') {
    reason += ' (YAML reads 1.2 or 2026 as a number: put the value in quotes, e.g. "1.2.0")';
  }
  return [diag('schema-invalid', file, place, { key: keyName(path) || 'frontmatter', reason, expected: describe(path) })];
}

type Issue = z.core.$ZodIssue;
const depth = (issues: readonly Issue[]) => Math.max(0, ...issues.map((i) => i.path.length));

/** A union error says little; the branch that got deepest into the value says what is really wrong. */
function specific(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  if (depth(best) === 0) return [issue];
  return best.flatMap((i) => specific({ ...i, path: [...issue.path, ...i.path] } as Issue));
}

export interface Validated {
  /** The whole frontmatter, when it fits the schema. */
  frontmatter?: AdvisoryFrontmatter;
  /** Each field that fits its own schema (defaults applied): what the rules can still look at. */
  fields: Partial<AdvisoryFrontmatter>;
  /** The fields that do not: a rule that reads one is skipped, and says so. */
  invalid: Set<keyof AdvisoryFrontmatter>;
  diagnostics: Diagnostic[];
}

export function validateFrontmatter(parsed: ParsedAdvisory): Validated {
  const data = (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data) ? {} : parsed.data) as Record<string, unknown>;
  const result = AdvisoryFrontmatter.safeParse(data);
  if (result.success) return { frontmatter: result.data, fields: result.data, invalid: new Set(), diagnostics: [] };
  // Field by field, so a schema error in one field hides nothing the others can show.
  const fields: Record<string, unknown> = {};
  const invalid = new Set<keyof AdvisoryFrontmatter>();
  for (const key of FIELDS) {
    const field = (AdvisoryFrontmatter.shape as Record<string, z.ZodType>)[key]!.safeParse(data[key]);
    if (field.success) fields[key] = field.data;
    else invalid.add(key);
  }
  const diagnostics = result.error.issues.flatMap(specific).flatMap((issue) => issueToDiagnostics(parsed, issue));
  return { fields: fields as Partial<AdvisoryFrontmatter>, invalid, diagnostics };
}
