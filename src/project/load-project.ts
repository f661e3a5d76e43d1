// The checked project: every stage up to the model, every problem from every file collected once.
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { parseAdvisory } from '../load/parse-advisory.ts';
import { listAdvisoryFiles, readSourceFile } from '../load/read-files.ts';
import { loadPolicy, type Policy } from '../load/security-md.ts';
import { byPublishedDesc, toAdvisory, type Advisory } from '../model/advisory.ts';
import { makeContext, type RuleContext } from '../validate/context.ts';
import { duplicateIds } from '../validate/cross-file.ts';
import { validateFrontmatter } from '../validate/frontmatter.ts';
import { RULES } from '../validate/rules/index.ts';

export interface ProjectOptions {
  root: string;
  now: Date;
  /** Last-commit time per file (root-relative path), when git history is available. */
  lastCommits?: ReadonlyMap<string, string>;
}

export interface Project {
  root: string;
  config: Config;
  policy: Policy;
  /** Every advisory that passed its checks, embargoed ones included, newest first. */
  advisories: Advisory[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

export async function loadProject({ root, now, lastCommits }: ProjectOptions): Promise<Project> {
  const [{ config, diagnostics: configDiagnostics }, { policy, diagnostics: policyDiagnostics }, listing] = await Promise.all([
    loadConfig(root),
    loadPolicy(root),
    listAdvisoryFiles(root),
  ]);
  const diagnostics = [...configDiagnostics, ...policyDiagnostics, ...listing.diagnostics];
  const contexts: RuleContext[] = [];
  const sources = await Promise.all(listing.paths.map((path) => readSourceFile(root, path)));
  for (const read of sources) {
    diagnostics.push(...read.diagnostics);
    if (!read.source) continue;
    const { parsed, diagnostics: parseDiagnostics } = parseAdvisory(read.source);
    diagnostics.push(...parseDiagnostics);
    if (!parsed) continue;
    const { frontmatter, diagnostics: schemaDiagnostics } = validateFrontmatter(parsed);
    diagnostics.push(...schemaDiagnostics);
    if (!frontmatter) continue;
    const ctx = makeContext(parsed, frontmatter, config, policy, now);
    for (const rule of RULES) rule(ctx);
    diagnostics.push(...ctx.diagnostics);
    contexts.push(ctx);
  }
  diagnostics.push(...duplicateIds(contexts));

  const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const advisories = contexts
    .filter((ctx) => !failed.has(ctx.parsed.file))
    .map((ctx) =>
      toAdvisory({
        fm: ctx.fm,
        file: ctx.parsed.file,
        body: ctx.parsed.body,
        config,
        policy,
        now,
        lastCommit: lastCommits?.get(ctx.parsed.file),
      }),
    )
    .sort(byPublishedDesc);
  return { root, config, policy, advisories, diagnostics, ok: !hasErrors(diagnostics) };
}

/** What may appear anywhere public: never an embargoed advisory. */
export const publishedAdvisories = (project: Pick<Project, 'advisories'>) => project.advisories.filter((a) => !a.embargoed);
