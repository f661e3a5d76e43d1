// The checked project: every stage up to the model, every problem from every file collected once.
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { Policy } from '../load/security-md.ts';
import { loadPolicyCached } from './policy-cache.ts';
import { byPublishedDesc, type Advisory } from '../model/advisory.ts';
import { duplicateIds } from '../validate/cross-file.ts';
import { listAdvisoryFiles } from '../load/read-files.ts';
import { openCheckCache, type CheckCacheStats } from './check-cache.ts';
import { placeOfKey } from './check-file.ts';
import { checkFiles, type PoolOptions, type PoolStats } from './pool.ts';

export interface ProjectOptions {
  root: string;
  now: Date;
  /** Last-commit time per file (root-relative path), when git history is available. */
  lastCommits?: ReadonlyMap<string, string>;
  /** How the per-file checks are spread over threads; by default sized to the machine and the input. */
  pool?: PoolOptions;
  /** The state folder: per-file check results are cached there (cache/check.jsonl). */
  cacheDir?: string;
}

export interface Project {
  root: string;
  config: Config;
  policy: Policy;
  /** Every advisory that passed its checks, embargoed ones included, newest first. */
  advisories: Advisory[];
  /** Every advisory file found, valid or not. */
  files: string[];
  /**
   * The check cache's key of the file an advisory came from (its bytes, path, git date, the config,
   * the policy and the checker's code): it determines the model, so output keys can use it instead of
   * serialising the model. Undefined without a state folder, and for files the cache skips.
   */
  sourceKey(a: Advisory): string | undefined;
  diagnostics: Diagnostic[];
  ok: boolean;
  stats: { pool: PoolStats; cache?: CheckCacheStats };
}

export async function loadProject({ root, now, lastCommits, pool, cacheDir }: ProjectOptions): Promise<Project> {
  const [{ config, diagnostics: configDiagnostics }, { policy, diagnostics: policyDiagnostics }, listing] = await Promise.all([
    loadConfig(root),
    loadPolicyCached(root, cacheDir),
    listAdvisoryFiles(root),
  ]);
  const diagnostics = [...configDiagnostics, ...policyDiagnostics, ...listing.diagnostics];
  const shared = { root, config, policy, now };
  const cache = cacheDir ? await openCheckCache(cacheDir, shared) : undefined;
  const keys = listing.paths.map((path) => cache?.keyOf(path, lastCommits));
  const cached = keys.map((key) => cache?.get(key));
  const missing = listing.paths.filter((_, i) => cached[i] === undefined);
  const fresh = await checkFiles(missing, shared, lastCommits, pool);
  let next = 0;
  const sourceKeys = new Map<Advisory, string>();
  const all = cached.map((hit, i) => {
    const result = hit ?? fresh.results[next++];
    if (!hit) cache?.put(keys[i], result);
    if (result?.advisory && keys[i]) sourceKeys.set(result.advisory, keys[i]);
    return result;
  });
  await cache?.save();
  const checked = { results: all, stats: fresh.stats };
  const results = checked.results.filter((r) => r !== undefined);
  for (const result of results) diagnostics.push(...result.diagnostics);
  diagnostics.push(...(await duplicateIds(results, (file) => placeOfKey(root, file, 'id'))));

  const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const advisories = results
    .flatMap((r) => (r.advisory && !failed.has(r.file) ? [r.advisory] : []))
    .sort(byPublishedDesc);
  const sourceKey = (a: Advisory) => sourceKeys.get(a);
  return { root, config, policy, advisories, files: listing.paths, sourceKey, diagnostics, ok: !hasErrors(diagnostics), stats: { pool: checked.stats, ...(cache ? { cache: cache.stats } : {}) } };
}

/** What may appear anywhere public: never an embargoed advisory. */
export const publishedAdvisories = (project: Pick<Project, 'advisories'>) => project.advisories.filter((a) => !a.embargoed);
