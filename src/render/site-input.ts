import type { Config } from '../config/schema.ts';
import type { Policy } from '../load/security-md.ts';
import type { Advisory } from '../model/advisory.ts';
import type { Templates } from './templates.ts';

/** Everything render needs for the site. Pure data: no clock, no file system. */
export interface SiteInput {
  /** Published advisories only (never an embargoed one), newest first. */
  advisories: readonly Advisory[];
  config: Config;
  policy: Policy;
  templates: Templates;
}

/** A file's contents; a promise for work that finishes off the main thread (the OSV archive). */
export type SiteContent = string | Uint8Array | Promise<string | Uint8Array>;

/** Path inside the site → contents. */
export type SiteFiles = Map<string, SiteContent>;

/** The same, produced one file at a time (path, contents), in a fixed order. */
export type SiteEntries = Iterable<readonly [string, SiteContent]>;
