// The accelerated Checker: each file's result from the store when its bytes (and everything else its
// check reads) are unchanged, the rest checked on every core. Gives exactly what checkEach gives.
import type { FileResult, SharedInput } from '../check/check-file.ts';
import type { Checker } from '../check/project.ts';
import { readAdvisoryBytes, rootRelative } from '../check/read-files.ts';
import { checkFiles, type FileTask, type PoolOptions } from './check-pool.ts';
import type { Pool } from './workers.ts';
import { Store } from './store.ts';

/** How the last run's files were checked: from the store, or checked with the scanner or the full parse. */
export interface CheckerStats {
  checked: number;
  headingsParsed: number;
}

export function acceleratedChecker(
  store: Store<FileResult | null> | undefined,
  options?: PoolOptions,
  stats: CheckerStats = { checked: 0, headingsParsed: 0 },
  pool?: Pool,
  /** Save the store as soon as the check is done (a command that keeps what it made; not a read-only query). */
  saveEarly = false,
): Checker {
  return async (paths, shared: SharedInput, lastCommits) => {
    // Not the root: the same project checked out elsewhere (each CI run's clone) has the same results.
    const context = store ? JSON.stringify([shared.config, shared.policy]) : '';
    const relative = paths.map((path) => rootRelative(shared.root, path));
    const tasks: FileTask[] = paths.map((path, i) => {
      const lastCommit = lastCommits?.get(relative[i]!);
      return { path, ...(lastCommit ? { lastCommit } : {}) };
    });
    // Each file is read once, as the check reads it: its bytes make the key and go to its check.
    // Only a regular file is cached (a symlink's result depends on where it points).
    const keys = tasks.map((t, i) => {
      if (!store) return undefined;
      const { bytes, link } = readAdvisoryBytes(shared.root, t.path);
      if (!bytes) return undefined;
      t.bytes = bytes;
      return link ? undefined : Store.key('check', context, relative[i]!, t.lastCommit ?? '', bytes);
    });
    const results: (FileResult | undefined)[] = new Array(tasks.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const hit = key ? store!.get(key) : undefined;
      if (hit === undefined) missing.push(i);
      else results[i] = hit ?? undefined;
    });
    const fresh = await checkFiles(missing.map((i) => tasks[i]!), shared, options, pool);
    missing.forEach((i, n) => {
      const { result, parsed } = fresh.results[n]!;
      results[i] = result;
      if (keys[i]) store!.put(keys[i], result ?? null);
      stats.checked++;
      if (parsed) stats.headingsParsed++;
    });
    // Now, while the heap holds the check alone: at 40,000 advisories its store is 100 MB of JSON, made on top
    // of a build's render and site otherwise. accel's save waits for it; a failure to save never fails a run.
    if (store && saveEarly && fresh.results.length > 0) store.save().catch(() => undefined);
    return results;
  };
}
