// The checked project: every stage up to the model, every problem from every file collected once.
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { loadPolicy, type Policy } from '../load/security-md.ts';
import { listAdvisoryFiles } from '../load/read-files.ts';
import { byPublishedDesc, type Advisory } from '../model/advisory.ts';
import { duplicateIds } from '../validate/cross-file.ts';
import { placeOfId } from './check-file.ts';
import { checkFiles, type PoolOptions, type PoolStats } from './pool.ts';

export interface ProjectOptions {
  root: string;
  now: Date;
  /** Last-commit time per file (root-relative path), when git history is available. */
  lastCommits?: ReadonlyMap<string, string>;
  /** How the per-file checks are spread over threads; by default sized to the machine and the input. */
  pool?: PoolOptions;
}

export interface Project {
  root: string;
  config: Config;
  policy: Policy;
  /** Every advisory that passed its checks, embargoed ones included, newest first. */
  advisories: Advisory[];
  diagnostics: Diagnostic[];
  ok: boolean;
  stats: { pool: PoolStats };
}

export async function loadProject({ root, now, lastCommits, pool }: ProjectOptions): Promise<Project> {
  const [{ config, diagnostics: configDiagnostics }, { policy, diagnostics: policyDiagnostics }, listing] = await Promise.all([
    loadConfig(root),
    loadPolicy(root),
    listAdvisoryFiles(root),
  ]);
  const diagnostics = [...configDiagnostics, ...policyDiagnostics, ...listing.diagnostics];
  const checked = await checkFiles(listing.paths, { root, config, policy, now }, lastCommits, pool);
  const results = checked.results.filter((r) => r !== undefined);
  for (const result of results) diagnostics.push(...result.diagnostics);
  diagnostics.push(...(await duplicateIds(results, (file) => placeOfId(root, file))));

  const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const advisories = results
    .flatMap((r) => (r.advisory && !failed.has(r.file) ? [r.advisory] : []))
    .sort(byPublishedDesc);
  return { root, config, policy, advisories, diagnostics, ok: !hasErrors(diagnostics), stats: { pool: checked.stats } };
}

/** What may appear anywhere public: never an embargoed advisory. */
export const publishedAdvisories = (project: Pick<Project, 'advisories'>) => project.advisories.filter((a) => !a.embargoed);
