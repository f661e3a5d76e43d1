// An advisory file's committed versions, as git's main line holds them: what the CSAF revision history
// is made from (render/csaf/revisions.ts). check/git/history.ts reads them; render never runs git.
import type { AdvisoryFrontmatter } from './schema.ts';

export interface CommittedVersion {
  /** Commit time, ISO 8601 UTC. */
  at: string;
  /** The frontmatter as committed; absent when the committed bytes are the file's bytes as it is now. */
  frontmatter?: AdvisoryFrontmatter;
}

/** Root-relative file → its versions, oldest first. A file without an entry has no known history. */
export type AdvisoryHistory = ReadonlyMap<string, readonly CommittedVersion[]>;
