import type { Config } from '../core/config.ts';
import type { Policy } from '../core/policy.ts';
import type { Advisory } from '../core/advisory.ts';
import type { AdvisoryHistory } from '../core/history.ts';
import type { Templates } from './templates.ts';

/**
 * How advisory Markdown becomes output: safe HTML for pages, feeds and mail, and safe Markdown for OSV
 * `details`. render/markdown.ts is the implementation; a caller may hand in another that answers the
 * same (cli/ passes accel/'s, which looks up what it rendered earlier with this very implementation).
 */
export interface MarkdownRenderer {
  html(markdown: string): string;
  osvDetails(markdown: string): string;
  /** The words without markup (CSAF notes): blocks apart by a blank line, no raw HTML. */
  text(markdown: string): string;
}

/** Everything render needs for the site. Pure data: no clock, no file system. */
export interface SiteInput {
  /** Published advisories only (never an embargoed one), newest first. */
  advisories: readonly Advisory[];
  config: Config;
  policy: Policy;
  templates: Templates;
  markdown?: MarkdownRenderer;
  /** Committed versions of the advisory files, for the CSAF revision history; none known without it. */
  history?: AdvisoryHistory;
  /** The public key the CSAF documents are signed with (publish/ signs them), when they are. */
  csafKey?: CsafKey;
}

/** An OpenPGP public key: its fingerprint (hex) and its armored text. */
export interface CsafKey {
  fingerprint: string;
  armored: string;
}

/**
 * A ZIP archive of files of the same site, each under a name of its own, in this order: render says
 * what goes in, publish/ makes the archive (render does no compression, as it does no I/O).
 */
export interface ArchiveOf {
  archive: readonly { name: string; path: string }[];
}

/**
 * A file made from `from` alone (and the tool's own code): `make` reads nothing else, so the same `from`
 * always makes the same bytes. The reference writer calls `make`; accel/ may instead recognise the
 * bytes the reference made from the same `from` in an earlier build (by their SHA-256) in the live site.
 * `from` holds plain data only (JSON: no Map, Set or function).
 */
export interface Made {
  from: readonly unknown[];
  make(): string | Uint8Array;
}

/** A file's contents. */
export type SiteContent = string | Uint8Array | ArchiveOf | Made;

export const isMade = (content: SiteContent): content is Made => typeof content === 'object' && 'make' in content;

/** The contents as they are, a Made file made. */
export const made = <T extends SiteContent>(content: T): Exclude<T, Made> | string | Uint8Array => (isMade(content) ? content.make() : (content as Exclude<T, Made>));

/** Path inside the site → contents, produced one file at a time. */
export type SiteEntries = Iterable<readonly [string, SiteContent]>;
