// One advisory file from bytes to checked model: the unit of work. A function of the file, the config
// and the policy only (never the clock: embargoes are decided in project.ts), so any thread, and any
// earlier run, gives the same answer.
import { join } from 'node:path';
import type { Config } from '../core/config.ts';
import type { Diagnostic, Place } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import type { Policy } from '../core/policy.ts';
import { toModel, type AdvisoryModel } from '../core/advisory.ts';
import { parseAdvisory, type HeadingReader } from './parse-advisory.ts';
import { readSourceFile, rootRelative, sourceFromBytes, type SourceFile } from './read-files.ts';
import { makeContext, partialFrontmatter, runRules } from './context.ts';
import { validateFrontmatter } from './frontmatter.ts';
import { CLOCKED_RULES, RULES } from './rules/index.ts';
import { checkSealedHeader, isSealed } from './sealed.ts';

/** What every file's check shares; plain data, so it can be handed to a worker. */
export interface SharedInput {
  root: string;
  config: Config;
  policy: Policy;
}

export interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
  /** Set when the id passed its schema: what cross-file rules need. */
  id?: string;
  /** `published` when it passed its schema: the embargo is decided from it. */
  published?: string;
  /** The model, when the file has no error of its own (cross-file rules may still reject it). */
  model?: AdvisoryModel;
  /** A sealed file: only its clear part was checked (check/sealed.ts). */
  sealed?: true;
}

export interface CheckOptions {
  lastCommit?: string;
  /** Another way to find the body's headings (accel/); the full Markdown parse when it cannot say. */
  headings?: HeadingReader;
  /** The file's bytes as readAdvisoryBytes read them (accel/ reads each file once, for its store key and its check). */
  bytes?: Uint8Array;
}

export function checkFile(path: string, shared: SharedInput, options: CheckOptions = {}): FileResult | undefined {
  const read = options.bytes ? sourceFromBytes(rootRelative(shared.root, path), path, options.bytes) : readSourceFile(shared.root, path);
  if (!read.source) return read.diagnostics[0] && { file: read.diagnostics[0].file, diagnostics: read.diagnostics };
  // A sealed file: only its clear part here; project.ts opens the rest when it has a key (never cached).
  if (isSealed(read.source.text)) return { file: read.source.file, sealed: true, ...checkSealedHeader(read.source, shared.config) };
  return checkSource(read.source, shared, options, read.diagnostics);
}

/** The check of an advisory's text, from a file or from a sealed file's clear text. */
export function checkSource(source: SourceFile, shared: SharedInput, options: CheckOptions = {}, readDiagnostics: Diagnostic[] = []): FileResult {
  const { config, policy } = shared;
  const { file } = source;
  const diagnostics = [...readDiagnostics];
  const { parsed, diagnostics: parseDiagnostics } = parseAdvisory(source, options.headings);
  diagnostics.push(...parseDiagnostics);
  if (!parsed) return { file, diagnostics };
  const { frontmatter, fields, invalid, diagnostics: schemaDiagnostics } = validateFrontmatter(parsed);
  diagnostics.push(...schemaDiagnostics);
  // A schema error in one field hides nothing: every rule runs on the fields that passed.
  const ctx = makeContext(parsed, frontmatter ?? partialFrontmatter(fields, invalid), config, policy);
  runRules(RULES, ctx);
  diagnostics.push(...ctx.diagnostics);
  const { id, published } = fields;
  if (!frontmatter) return { file, diagnostics, ...(id !== undefined && { id }), ...(published !== undefined && { published }) };
  if (diagnostics.some((d) => d.severity === 'error' && !CLOCKED_RULES.has(d.ruleId))) return { file, diagnostics, id, published };
  const model = toModel({ fm: frontmatter, file, body: parsed.body, config, policy, ...(options.lastCommit ? { lastCommit: options.lastCommit } : {}) });
  return { file, diagnostics, id, published, model };
}

/**
 * Where a top-level frontmatter value is, for reports made outside the per-file check (duplicates,
 * embargoes, base-ref rules): parses that one file with positions; the file's start when it cannot.
 */
export function placeOfKey(root: string, file: string, key: string): Place {
  const { source } = readSourceFile(root, join(root, file));
  const parsed = source && parseAdvisory(source).parsed;
  return parsed ? parsed.place([key]) : START;
}
