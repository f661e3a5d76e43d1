import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { placeOfPath } from './yaml-place.ts';
import { readRegularText, unreadableReason } from './read-files.ts';
import { ConfigSchema, type Config } from '../core/config.ts';

export const CONFIG_FILE = 'advisories.config.json';

export interface ConfigResult {
  config: Config;
  diagnostics: Diagnostic[];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readRegularText(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the config; a missing file means all defaults. JSON is parsed as YAML (a superset) to keep positions. */
export async function loadConfig(root: string): Promise<ConfigResult> {
  try {
    return await readConfig(root);
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code) throw error;
    return { config: ConfigSchema.parse({}), diagnostics: [diag('config-invalid', CONFIG_FILE, START, { reason: `cannot read it: ${unreadableReason(error)}` })] };
  }
}

async function readConfig(root: string): Promise<ConfigResult> {
  let file = CONFIG_FILE;
  let text = await readIfExists(join(root, CONFIG_FILE));
  let path: (string | number)[] = [];
  if (text === undefined) {
    const pkg = await readIfExists(join(root, 'package.json'));
    if (pkg !== undefined && parseDocument(pkg).has('advisories')) {
      file = 'package.json';
      text = pkg;
      path = ['advisories'];
    }
  }
  if (text === undefined) return { config: ConfigSchema.parse({}), diagnostics: [] };

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const [line, column] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
    return { config: ConfigSchema.parse({}), diagnostics: [diag('config-invalid', file, { line, column }, { reason: `not valid JSON: ${e.message.split('\n')[0]}` })] };
  }
  const value = path.length ? doc.getIn(path) : doc.toJS();
  const raw = value && typeof value === 'object' && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success) return { config: parsed.data, diagnostics: [] };
  const diagnostics = parsed.error.issues.map((issue) => {
    const full = [...path, ...(issue.path as (string | number)[])];
    const key = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    const place = doc.contents ? placeOfPath(doc, lineCounter, full, 0) : START;
    const fix = issue.code === 'custom' ? (issue.params as { fix?: string } | undefined)?.fix : undefined;
    return diag('config-invalid', file, place, { key: key || undefined, reason: issue.message, fix });
  });
  return { config: validFields(raw), diagnostics };
}

/**
 * The config's fields that pass their own schema, the others left at their defaults: with one bad URL the
 * advisories are still checked against the package and prefix the config does give, so each of them is not
 * also told its `package` is missing. Commands refuse an invalid config anyway; this is for check's report.
 */
function validFields(raw: unknown): Config {
  const given = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(ConfigSchema.shape)) if (key in given && schema.safeParse(given[key]).success) kept[key] = given[key];
  const config = ConfigSchema.safeParse(kept);
  return config.success ? config.data : ConfigSchema.parse({});
}
