import type { Config } from '../config/schema.ts';
import type { Policy } from '../load/security-md.ts';
import type { Advisory } from '../model/advisory.ts';
import type { IndexPart } from './index-parts.ts';
import type { Templates } from './templates.ts';
import type { ZipEntry } from './zip.ts';

/** What earlier builds left that is still exactly as they wrote it (deliver/previous-site.ts). */
export interface PreviousOutputs {
  /** Whether an earlier build's file at `path`, rendered from `key`, is still there untouched. */
  has(path: string, key: string): boolean;
  /** The osv/all.zip entry that came with that file, still deflated. */
  zipEntry(path: string, name: string, key: string): ZipEntry | undefined;
}

/** Everything render needs for the site. Pure data: no clock, no file system. */
export interface SiteInput {
  /** Published advisories only (never an embargoed one), newest first. */
  advisories: readonly Advisory[];
  config: Config;
  policy: Policy;
  templates: Templates;
  /** The renderers' own code and dependencies (project/fingerprint.ts): part of every output's key. */
  fingerprint?: string;
  /** A digest that determines an advisory's model (the check cache's key), when there is one. */
  sourceKey?: (a: Advisory) => string | undefined;
  previous?: PreviousOutputs;
  /** Each advisory's share of the index files made by an earlier build, by output key (render/index-parts.ts). */
  indexParts?: (key: string) => IndexPart | undefined;
}

/** An earlier build's file, rendered from the same key: the writer keeps or links it instead. */
export const REUSE = Symbol('reuse the previous build\'s file');

/** A file's contents; a promise for work that finishes off the main thread (the OSV archive). */
export type SiteContent = string | Uint8Array | Promise<string | Uint8Array> | typeof REUSE;

/** Path inside the site → contents. */
export type SiteFiles = Map<string, SiteContent>;

/** The same, produced one file at a time: path, contents, and the key of the input it was rendered from. */
export type SiteEntries = Iterable<readonly [string, SiteContent, string?]>;

/**
 * What a build renders up front: bodies as page and feed HTML, bodies and summaries as OSV details,
 * each for the advisories whose output is not carried over; `feeds` are rendered on every build.
 */
export interface RenderWork {
  html: readonly Advisory[];
  osv: readonly Advisory[];
  feeds?: readonly Advisory[];
}
