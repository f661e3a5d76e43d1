// The accelerated Checker: each file's result from the store when its bytes (and everything else its
// check reads) are unchanged, the rest checked on every core. Gives exactly what checkEach gives.
import { lstatSync, readFileSync } from 'node:fs';
import type { FileResult, SharedInput } from '../check/check-file.ts';
import type { Checker } from '../check/project.ts';
import { rootRelative } from '../check/read-files.ts';
import { checkFiles, type FileTask, type PoolOptions } from './check-pool.ts';
import { Store } from './store.ts';

/** The file's bytes, when it is a small regular file; anything else is checked afresh, never cached. */
function bytesOf(path: string): Buffer | undefined {
  try {
    const info = lstatSync(path);
    return info.isFile() && info.size <= 1024 * 1024 ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

export function acceleratedChecker(store: Store<FileResult | null> | undefined, pool?: PoolOptions): Checker {
  return async (paths, shared: SharedInput, lastCommits) => {
    const context = store ? JSON.stringify([shared.root, shared.config, shared.policy]) : '';
    const tasks: FileTask[] = paths.map((path) => {
      const lastCommit = lastCommits?.get(rootRelative(shared.root, path));
      return { path, ...(lastCommit ? { lastCommit } : {}) };
    });
    const keys = tasks.map((t) => {
      const bytes = store && bytesOf(t.path);
      return bytes ? Store.key('check', context, t.path, t.lastCommit ?? '', bytes) : undefined;
    });
    const results: (FileResult | undefined)[] = new Array(tasks.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const hit = key ? store!.get(key) : undefined;
      if (hit === undefined) missing.push(i);
      else results[i] = hit ?? undefined;
    });
    const fresh = await checkFiles(missing.map((i) => tasks[i]!), shared, pool);
    missing.forEach((i, n) => {
      results[i] = fresh.results[n];
      if (keys[i]) store!.put(keys[i], fresh.results[n] ?? null);
    });
    return results;
  };
}
