import type { Config } from '../core/config.ts';
import { schemeFor, type VersionScheme } from '../core/ecosystems/index.ts';
import { diag, type RuleId } from '../core/catalogue.ts';
import type { Diagnostic, Place } from '../core/diagnostic.ts';
import type { ParsedAdvisory } from './parse-advisory.ts';
import type { Policy } from '../core/policy.ts';
import type { AdvisoryFrontmatter } from '../core/schema.ts';

/** What a per-advisory rule sees. Rules report diagnostics; they never throw, print or exit. */
export interface RuleContext {
  parsed: ParsedAdvisory;
  fm: AdvisoryFrontmatter;
  config: Config;
  policy: Policy;
  /** The advisory's ecosystem (its own, else the config's) and the version rules it is checked by. */
  ecosystem: string;
  scheme: VersionScheme;
  diagnostics: Diagnostic[];
  /** Place of a frontmatter value, e.g. at(['patched', 0]). */
  at(path: readonly (string | number)[], target?: 'value' | 'key'): Place;
}

/** Raises the rule's own diagnostic at `place`, in this file; `params` fill the catalogue's message and hint. */
export type Report = (place: Place, params?: Parameters<typeof diag>[3]) => void;

/**
 * An advisory that shows a rule at work: a small change to a valid base advisory, which the rule
 * tests (test/check/rules.test.ts) write into a temporary project and check. The base is
 * advisories/SBX-2026-0001.md, from advisory() in test/helpers/project.ts:
 *
 *      1  ---
 *      2  id: SBX-2026-0001
 *      3  title: Problem in SBX-2026-0001
 *      4  summary: Something bad can happen.
 *      5  severity: high
 *      6  affected: ">=1.0.0 <1.2.0"
 *      7  patched: [1.2.0]
 *      8  reported: 2026-03-01
 *      9  published: 2026-03-02T10:00:00Z
 *     10  ---
 *     11
 *     12  ## Impact … ## Patches …
 *
 * with advisories.config.json `{ "package": "scalebox-sdk", "idPrefix": "SBX" }` and the project's
 * SECURITY.md (supported: 1.x.x; not supported: < 1.0; High within 7 days, Low next regular release).
 */
export interface Fixture {
  /** What it shows; the test's title. */
  title: string;
  /**
   * Frontmatter keys over the base, each as the YAML text after `key: ` (`'[1.2.0]'`, `'"<0.9.0"'`).
   * A key of the base keeps its line; a new one goes after `published`, from line 10; undefined drops one.
   */
  fm?: Record<string, string | undefined>;
  /** The Markdown body, instead of the base's `## Impact` and `## Patches`; it starts on the line after the closing `---`. */
  body?: string;
  /** The file's name in advisories/, instead of `SBX-2026-0001.md`. */
  file?: string;
  /** Fields over the base config (undefined drops one); null: no advisories.config.json at all. */
  config?: Partial<Config> | null;
  /** SECURITY.md's text, instead of the project's. */
  policy?: string;
  /** The clock, for a rule that holds only while embargoed (default 2026-06-01T00:00:00Z, after the base's `published`). */
  now?: string;
}

/** A diagnostic the fixture must raise: `line:column`, then `: ` and a fragment of its message if worth saying. */
export type Expected = `${number}:${number}` | `${number}:${number}: ${string}`;

export interface NotOkFixture extends Fixture {
  /** Every diagnostic of the rule the fixture raises, in order. */
  expect: readonly [Expected, ...Expected[]];
}

export interface RuleSpec<Id extends RuleId = RuleId> {
  /** The catalogue id the rule raises, and only that one (catalogue ids are a public interface). */
  id: Id;
  /** The rule's name and its file's (rules/<name>.ts): the id, unless another stage raises that id too. */
  name?: string;
  /** Looks at one advisory and reports what is wrong; reading a field that failed its schema skips the rule (runRules). */
  check(ctx: RuleContext, report: Report): void;
  /**
   * The problem exists only while the advisory is embargoed. A file's check never reads the clock (its
   * result is cached), so the rule reports regardless, its error does not withhold the model, and
   * project.ts keeps the diagnostic only while `published` is after now.
   */
  whileEmbargoed?: true;
  /** Advisories that must raise none of the rule's diagnostics, and advisories that must raise the ones they list. */
  fixtures: { ok: readonly [Fixture, ...Fixture[]]; notOk: readonly [NotOkFixture, ...NotOkFixture[]] };
}

export interface Rule<Id extends RuleId = RuleId> extends RuleSpec<Id> {
  name: string;
  /** Runs the check, adding its diagnostics to the context's. */
  run(ctx: RuleContext): void;
}

/** A per-advisory rule; rules/index.ts lists them in reporting order. */
export function defineRule<Id extends RuleId>(spec: RuleSpec<Id>): Rule<Id> {
  const { id, check } = spec;
  return {
    ...spec,
    name: spec.name ?? id,
    run: (ctx) => check(ctx, (place, params) => ctx.diagnostics.push(diag(id, ctx.parsed.file, place, params))),
  };
}

export function makeContext(parsed: ParsedAdvisory, fm: AdvisoryFrontmatter, config: Config, policy: Policy): RuleContext {
  // An ecosystem that failed its schema (`pypi`) is reported there; the rules read versions in the config's.
  let own: string | undefined;
  try {
    own = fm.ecosystem;
  } catch (error) {
    if (!(error instanceof NeedsValidField)) throw error;
  }
  const ecosystem = own ?? config.ecosystem;
  return {
    parsed,
    fm,
    config,
    policy,
    ecosystem,
    scheme: schemeFor(ecosystem),
    diagnostics: [],
    at: (path, target = 'value') => parsed.place(path, target),
  };
}

/** A list value may be written as a scalar (`affected: "<1.0"`); point into the list only when it is one. */
export function itemPath(ctx: RuleContext, key: string, index: number): (string | number)[] {
  const raw = (ctx.parsed.data as Record<string, unknown>)[key];
  return Array.isArray(raw) ? [key, index] : [key];
}

/** Thrown by a partial frontmatter when a rule reads a field that failed its schema. */
class NeedsValidField {
  constructor(readonly key: string) {}
}

/**
 * The fields that fit the schema, as a frontmatter: reading one that did not stops the rule that reads
 * it (runRules reports it skipped). So every rule runs on what it can read, and none sees a bad value.
 */
export function partialFrontmatter(fields: Partial<AdvisoryFrontmatter>, invalid: ReadonlySet<string>): AdvisoryFrontmatter {
  return new Proxy(fields as AdvisoryFrontmatter, {
    get(target, key, receiver) {
      if (typeof key === 'string' && invalid.has(key)) throw new NeedsValidField(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

/** Runs each rule on the context; a rule that needs a field that failed its schema is reported skipped, with why. */
export function runRules(rules: readonly Rule[], ctx: RuleContext): void {
  for (const rule of rules) {
    try {
      rule.run(ctx);
    } catch (error) {
      if (!(error instanceof NeedsValidField)) throw error;
      // What the rule found before it reached the bad field stands: it was read from valid fields only.
      ctx.diagnostics.push(diag('check-skipped', ctx.parsed.file, ctx.at([error.key]), { rule: rule.name, key: error.key }));
    }
  }
}
