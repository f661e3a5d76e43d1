import type { Config } from '../config/schema.ts';
import type { Policy } from '../load/security-md.ts';
import type { Advisory } from '../model/advisory.ts';
import type { Templates } from './templates.ts';
import type { ZipEntry } from './zip.ts';

/** What the previous build left that is still exactly as it wrote it (deliver/previous-site.ts). */
export interface PreviousOutputs {
  /** The input key a file was rendered from. */
  keyOf(path: string): string | undefined;
  /** An entry of the previous osv/all.zip, still deflated. */
  zipEntry(name: string): ZipEntry | undefined;
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
}

/** The previous build's file, rendered from the same key: the writer links it instead. */
export const REUSE = Symbol('reuse the previous build\'s file');

/** A file's contents; a promise for work that finishes off the main thread (the OSV archive). */
export type SiteContent = string | Uint8Array | Promise<string | Uint8Array> | typeof REUSE;

/** Path inside the site → contents. */
export type SiteFiles = Map<string, SiteContent>;

/** The same, produced one file at a time: path, contents, and the key of the input it was rendered from. */
export type SiteEntries = Iterable<readonly [string, SiteContent, string?]>;
