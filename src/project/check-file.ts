// One advisory file from bytes to checked model: the unit of work that may run on any thread.
// Everything here is a function of the file and the shared input, so a worker gives the same answer.
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Diagnostic, Place } from '../diagnostics/diagnostic.ts';
import { START } from '../diagnostics/diagnostic.ts';
import { parseAdvisory } from '../load/parse-advisory.ts';
import { readSourceFile } from '../load/read-files.ts';
import type { Policy } from '../load/security-md.ts';
import { toAdvisory, type Advisory } from '../model/advisory.ts';
import { makeContext } from '../validate/context.ts';
import { validateFrontmatter } from '../validate/frontmatter.ts';
import { RULES } from '../validate/rules/index.ts';

/** What every file's check shares; plain data, so it can be handed to a worker. */
export interface SharedInput {
  root: string;
  config: Config;
  policy: Policy;
  now: Date;
}

export interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
  /** Set when the frontmatter passed its schema: what cross-file rules need. */
  id?: string;
  /** `published` when the frontmatter passed its schema: the check cache re-derives the embargo from it. */
  published?: string;
  /** The model, when the file has no error of its own (cross-file rules may still reject it). */
  advisory?: Advisory;
}

export async function checkFile(path: string, shared: SharedInput, lastCommit?: string): Promise<FileResult | undefined> {
  const { root, config, policy, now } = shared;
  const read = readSourceFile(root, path);
  if (!read.source) return read.diagnostics[0] && { file: read.diagnostics[0].file, diagnostics: read.diagnostics };
  const { file } = read.source;
  const diagnostics = [...read.diagnostics];
  const { parsed, diagnostics: parseDiagnostics } = parseAdvisory(read.source);
  diagnostics.push(...parseDiagnostics);
  if (!parsed) return { file, diagnostics };
  const { frontmatter, diagnostics: schemaDiagnostics } = validateFrontmatter(parsed);
  diagnostics.push(...schemaDiagnostics);
  if (!frontmatter) return { file, diagnostics };
  const ctx = makeContext(parsed, frontmatter, config, policy, now);
  for (const rule of RULES) rule(ctx);
  diagnostics.push(...ctx.diagnostics);
  const id = frontmatter.id;
  const published = frontmatter.published;
  if (diagnostics.some((d) => d.severity === 'error')) return { file, diagnostics, id, published };
  const advisory = toAdvisory({ fm: frontmatter, file, body: parsed.body, config, policy, now, lastCommit });
  return { file, diagnostics, id, published, advisory };
}

/**
 * Where a top-level frontmatter value is, for reports made outside the per-file check (duplicates,
 * base-ref rules): parses that one file with positions; the file's start when it cannot be parsed.
 */
export async function placeOfKey(root: string, file: string, key: string): Promise<Place> {
  const { source } = readSourceFile(root, join(root, file));
  const parsed = source && parseAdvisory(source).parsed;
  return parsed ? parsed.place([key]) : START;
}
