// The checked project: every stage up to the model, every problem from every file collected once.
import { atTime, byPublishedDesc, type Advisory } from '../core/advisory.ts';
import { diag } from '../core/catalogue.ts';
import type { Config } from '../core/config.ts';
import { hasErrors, type Diagnostic } from '../core/diagnostic.ts';
import type { Policy } from '../core/policy.ts';
import { isEmbargoed } from '../core/timing.ts';
import { checkFile, placeOfKey, type FileResult, type SharedInput } from './check-file.ts';
import { loadConfig } from './config.ts';
import { duplicateIds } from './cross-file.ts';
import { openSealed, type SealKeys } from './open-sealed.ts';
import { listAdvisoryFiles, rootRelative } from './read-files.ts';
import { CLOCKED_RULES } from './rules/index.ts';
import { loadPolicy, type PolicyParser } from './security-md.ts';

/** Checks every file, in the order given; one result per path (undefined for a file that vanished). */
export type Checker = (paths: readonly string[], shared: SharedInput, lastCommits?: ReadonlyMap<string, string>) => Promise<(FileResult | undefined)[]>;

/** The reference: each file in turn, on this thread. */
export const checkEach: Checker = async (paths, shared, lastCommits) =>
  paths.map((path) => {
    const lastCommit = lastCommits?.get(rootRelative(shared.root, path));
    return checkFile(path, shared, lastCommit ? { lastCommit } : {});
  });

export interface ProjectOptions {
  root: string;
  now: Date;
  /** Last-commit time per file (root-relative path), when git history is available. */
  lastCommits?: ReadonlyMap<string, string>;
  /** How the files are checked: checkEach, or accel/'s, which gives the same results. */
  checker?: Checker;
  /** How SECURITY.md is read: parsePolicy, or accel/'s, which gives the same policy and diagnostics. */
  policyParser?: PolicyParser;
  /** Keys to open sealed advisories (from the environment, passed in by cli/). */
  keys?: SealKeys;
}

export interface Project {
  root: string;
  config: Config;
  policy: Policy;
  /** Every advisory that passed its checks, embargoed ones included, newest first. */
  advisories: Advisory[];
  /** Every advisory file found, valid or not. */
  files: string[];
  /** The sealed ones among them: nothing of their text may reach a public report before its time. */
  sealed: string[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** A file's diagnostics as of `now`: a rule that holds only while the advisory is embargoed is kept only then. */
export const atClock = (result: Pick<FileResult, 'diagnostics' | 'published'>, now: Date) =>
  result.diagnostics.filter((d) => !CLOCKED_RULES.has(d.ruleId) || (result.published !== undefined && isEmbargoed(result.published, now)));

export async function loadProject({ root, now, lastCommits, checker = checkEach, policyParser, keys = {} }: ProjectOptions): Promise<Project> {
  const [{ config, diagnostics: configDiagnostics }, { policy, diagnostics: policyDiagnostics }, listing] = await Promise.all([
    loadConfig(root),
    loadPolicy(root, policyParser),
    listAdvisoryFiles(root),
  ]);
  const diagnostics = [...configDiagnostics, ...policyDiagnostics, ...listing.diagnostics];
  const checked = (await checker(listing.paths, { root, config, policy }, lastCommits)).filter((r) => r !== undefined);
  const results = checked.some((r) => r.sealed) ? await openSealed(checked, { root, config, policy }, now, keys, lastCommits) : checked;
  for (const result of results) {
    diagnostics.push(...atClock(result, now));
    // The checks that depend on the clock (atClock above, and this one) are made here, not with the file's.
    if (result.published && isEmbargoed(result.published, now)) {
      diagnostics.push(diag('embargoed', result.file, placeOfKey(root, result.file, 'published'), { published: result.published }));
    }
  }
  diagnostics.push(...(await duplicateIds(results, async (file) => placeOfKey(root, file, 'id'))));

  const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const advisories = results
    .flatMap((r) => (r.model && !failed.has(r.file) ? [atTime(r.model, now)] : []))
    .sort(byPublishedDesc);
  const sealed = checked.filter((r) => r.sealed).map((r) => r.file);
  return { root, config, policy, advisories, files: listing.paths, sealed, diagnostics, ok: !hasErrors(diagnostics) };
}

/** What may appear anywhere public: never an embargoed advisory. */
export const publishedAdvisories = (project: Pick<Project, 'advisories'>) => project.advisories.filter((a) => !a.embargoed);
