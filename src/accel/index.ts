// The acceleration fence: everything that makes check and build faster, and nothing that changes what
// they answer. cli/ is its only importer; with it off (ADVISORIES_ACCEL=0 or --no-accel) the reference
// path runs alone. README.md beside this file lists the invariants each mechanism keeps.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Advisory } from '../core/advisory.ts';
import type { FileResult } from '../check/check-file.ts';
import type { ProjectOptions } from '../check/project.ts';
import type { MarkdownRenderer } from '../render/site-input.ts';
import { ADVISORY_DIR } from '../check/read-files.ts';
import { CHECK_PER_WORKER } from './check-pool.ts';
import { acceleratedChecker, type CheckerStats } from './checker.ts';
import { prerendered } from './markdown.ts';
import { storedPolicy, type ParsedPolicy } from './policy.ts';
import { linkUnchanged, type LinkStats, type SiteStore } from './site-links.ts';
import type { Disk, PutFile } from '../publish/write-site.ts';
import { threadDisk } from './disk-thread.ts';
import { Store } from './store.ts';
import { Pool, type PoolOptions } from './workers.ts';

export interface Accel {
  /** loadProject's seams: how the files are checked and SECURITY.md is read. */
  project: Required<Pick<ProjectOptions, 'checker' | 'policyParser'>>;
  /** `text`: the plain text of bodies is wanted too (the CSAF documents). */
  markdown(advisories: readonly Advisory[], options?: { text?: boolean }): Promise<MarkdownRenderer>;
  /**
   * How the site writer puts a file into the new site, given the live site's folder, and where its bytes
   * go for a site of this many advisories (threads of their own when it is large).
   */
  writer(out: string, advisories: number): Promise<{ put: PutFile; disk?: Disk }>;
  /** Keeps what this run made for the next; a failure to save never fails the run. */
  save(): Promise<void>;
  /** Stops the worker threads (idle ones never hold the process open, but they hold memory). */
  close(): Promise<void>;
  /** One line for --verbose: what came from the store and what was made. */
  report(): string;
}

const DISK_THREAD_FROM = 200;

/**
 * `state` is the state folder, where the store lives; without one, nothing is cached. `root`, the project:
 * its advisories folder's size tells how many workers to start now, while the project is still being read.
 */
export async function openAccel(
  state: string | undefined,
  { root, pool: options, readOnly = false }: { root?: string; pool?: PoolOptions; readOnly?: boolean } = {},
): Promise<Accel> {
  const pool = new Pool();
  if (root !== undefined) pool.warm('check', entries(join(root, ADVISORY_DIR)), CHECK_PER_WORKER, options);
  const [checks, policies] = state ? await Promise.all([Store.open<FileResult | null>(state, 'check'), Store.open<ParsedPolicy>(state, 'policy')]) : [];
  // Only a build renders: the Markdown store is read when it is first asked for.
  let bodies: Store<string> | undefined;
  let rendered = 0;
  let markdownAsked = false;
  const checked: CheckerStats = { checked: 0, headingsParsed: 0 };
  let links: LinkStats | undefined;
  let sites: SiteStore | undefined;
  let disk: Disk | undefined;
  return {
    project: { checker: acceleratedChecker(checks, options, checked, pool, !readOnly), policyParser: storedPolicy(policies) },
    markdown: async (advisories, renderOptions) => {
      markdownAsked = true;
      bodies = state ? await Store.open<string>(state, 'markdown') : undefined;
      const renderer = await prerendered(advisories, bodies, options, { ...renderOptions, pool });
      // The render is the pool's last job: its threads' heaps (all the check's and the render's garbage) are
      // freed now, not held through the site's writing.
      await pool.close();
      rendered = renderer.rendered;
      return renderer;
    },
    writer: async (out, advisories) => {
      sites = state ? await Store.open<string>(state, 'site') : undefined;
      // Below a few hundred advisories the files take less time to write than the threads take to start.
      disk = advisories >= DISK_THREAD_FROM ? threadDisk() : undefined;
      return { put: linkUnchanged(out, (links = { linked: 0, written: 0, known: 0, made: 0 }), sites), ...(disk ? { disk } : {}) };
    },
    // The disk's threads too, if the writer stopped before settling them (it failed before writing).
    close: async () => {
      await Promise.all([pool.close(), disk?.settle().catch(() => undefined)]);
    },
    save: async () => {
      await Promise.all([checks?.save(), policies?.save(), markdownAsked ? bodies?.save() : undefined, sites?.save()]).catch(() => undefined);
    },
    report: () => {
      const parts = [
        checks ? `check cache ${checks.stats.hits} hits, ${checks.stats.misses} misses` : 'no check cache',
        ...(policies ? [`policy ${policies.stats.hits ? 'from cache' : policies.stats.misses ? 'parsed' : 'not read'}`] : []),
        `headings ${checked.checked - checked.headingsParsed} scanned, ${checked.headingsParsed} parsed`,
      ];
      if (markdownAsked) parts.push(`bodies ${rendered} rendered, ${bodies?.stats.hits ?? 0} from cache`);
      if (links) parts.push(`site files ${links.linked} unchanged (linked, ${links.known} known by their inputs), ${links.written} written, ${links.made} rendered`);
      if (sites) parts.push(`site store ${sites.stats.hits} hits, ${sites.stats.misses} misses`);
      return `accel: ${parts.join('; ')}\n`;
    },
  };
}

/** How many names a folder holds (0 if it cannot be read): a guess at the work ahead, nothing more. */
function entries(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}
