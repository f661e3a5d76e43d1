// The acceleration fence: everything that makes check and build faster, and nothing that changes what
// they answer. cli/ is its only importer; with it off (ADVISORIES_ACCEL=0 or --no-accel) the reference
// path runs alone. README.md beside this file lists the invariants each mechanism keeps.
import type { Advisory } from '../core/advisory.ts';
import type { FileResult } from '../check/check-file.ts';
import type { Checker } from '../check/project.ts';
import type { MarkdownRenderer } from '../render/site-input.ts';
import { acceleratedChecker, type CheckerStats } from './checker.ts';
import { prerendered } from './markdown.ts';
import { linkUnchanged, type LinkStats, type SiteStore } from './site-links.ts';
import type { PutFile } from '../publish/write-site.ts';
import { Store } from './store.ts';
import type { PoolOptions } from './workers.ts';

export interface Accel {
  checker: Checker;
  /** `text`: the plain text of bodies is wanted too (the CSAF documents). */
  markdown(advisories: readonly Advisory[], options?: { text?: boolean }): Promise<MarkdownRenderer>;
  /** How the site writer puts a file into the new site, given the live site's folder. */
  putFile(out: string): Promise<PutFile>;
  /** Keeps what this run made for the next; a failure to save never fails the run. */
  save(): Promise<void>;
  /** One line for --verbose: what came from the store and what was made. */
  report(): string;
}

/** `state` is the state folder, where the store lives; without one, nothing is cached. */
export async function openAccel(state: string | undefined, pool?: PoolOptions): Promise<Accel> {
  const checks = state ? await Store.open<FileResult | null>(state, 'check') : undefined;
  // Only a build renders: the Markdown store is read when it is first asked for.
  let bodies: Store<string> | undefined;
  let rendered = 0;
  let markdownAsked = false;
  const checked: CheckerStats = { checked: 0, headingsParsed: 0 };
  let links: LinkStats | undefined;
  let sites: SiteStore | undefined;
  return {
    checker: acceleratedChecker(checks, pool, checked),
    markdown: async (advisories, options) => {
      markdownAsked = true;
      bodies = state ? await Store.open<string>(state, 'markdown') : undefined;
      const renderer = await prerendered(advisories, bodies, pool, options);
      rendered = renderer.rendered;
      return renderer;
    },
    putFile: async (out) => {
      sites = state ? await Store.open<string>(state, 'site') : undefined;
      return linkUnchanged(out, (links = { linked: 0, written: 0, known: 0, made: 0 }), sites);
    },
    save: async () => {
      await Promise.all([checks?.save(), markdownAsked ? bodies?.save() : undefined, sites?.save()]).catch(() => undefined);
    },
    report: () => {
      const parts = [
        checks ? `check cache ${checks.stats.hits} hits, ${checks.stats.misses} misses` : 'no check cache',
        `headings ${checked.checked - checked.headingsParsed} scanned, ${checked.headingsParsed} parsed`,
      ];
      if (markdownAsked) parts.push(`bodies ${rendered} rendered, ${bodies?.stats.hits ?? 0} from cache`);
      if (links) parts.push(`site files ${links.linked} unchanged (linked, ${links.known} known by their inputs), ${links.written} written, ${links.made} rendered`);
      if (sites) parts.push(`site store ${sites.stats.hits} hits, ${sites.stats.misses} misses`);
      return `accel: ${parts.join('; ')}\n`;
    },
  };
}
