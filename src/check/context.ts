import type { Config } from '../core/config.ts';
import type { Diagnostic, Place } from '../core/diagnostic.ts';
import type { ParsedAdvisory } from './parse-advisory.ts';
import type { Policy } from '../core/policy.ts';
import type { AdvisoryFrontmatter } from '../core/schema.ts';

/** What a per-advisory rule sees. Rules push diagnostics; they never throw, print or exit. */
export interface RuleContext {
  parsed: ParsedAdvisory;
  fm: AdvisoryFrontmatter;
  config: Config;
  policy: Policy;
  diagnostics: Diagnostic[];
  /** Place of a frontmatter value, e.g. at(['patched', 0]). */
  at(path: readonly (string | number)[], target?: 'value' | 'key'): Place;
}

export type Rule = (ctx: RuleContext) => void;

export function makeContext(parsed: ParsedAdvisory, fm: AdvisoryFrontmatter, config: Config, policy: Policy): RuleContext {
  return {
    parsed,
    fm,
    config,
    policy,
    diagnostics: [],
    at: (path, target = 'value') => parsed.place(path, target),
  };
}

/** A list value may be written as a scalar (`affected: "<1.0"`); point into the list only when it is one. */
export function itemPath(ctx: RuleContext, key: string, index: number): (string | number)[] {
  const raw = (ctx.parsed.data as Record<string, unknown>)[key];
  return Array.isArray(raw) ? [key, index] : [key];
}
