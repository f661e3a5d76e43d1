// Dates from git history, in one `git log` pass over advisories/ (not one process per file).
import { diag } from '../../core/catalogue.ts';
import type { Diagnostic } from '../../core/diagnostic.ts';
import { START } from '../../core/diagnostic.ts';
import { git, isoFromSeconds } from './run.ts';
import { ADVISORY_DIR } from '../read-files.ts';

export interface FileDates {
  /** The first commit that touched the file on this branch's first-parent line (on main: when it was merged). */
  first: string;
  /** The last commit that changed it. */
  last: string;
}

export interface GitDates {
  /** Root-relative path → dates; empty when there is no usable history. */
  files: Map<string, FileDates>;
  diagnostics: Diagnostic[];
}

const MARK = '\u0001';

/** Not a repository → no dates and no warning; a shallow clone → no dates and the `git-shallow` warning. */
export async function gitDates(root: string): Promise<GitDates> {
  const files = new Map<string, FileDates>();
  const shallow = await git(root, ['rev-parse', '--is-shallow-repository']);
  if (!shallow.ok) return { files, diagnostics: [] };
  if (shallow.stdout.trim() === 'true') return { files, diagnostics: [diag('git-shallow', `${ADVISORY_DIR}/`, START)] };
  // --first-parent with first-parent diffs: a merged branch counts from its merge into this line, as a reader saw it.
  const log = await git(root, [
    'log', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--relative',
    `--format=${MARK}%ct`, '--name-only', '--', ADVISORY_DIR,
  ]);
  if (!log.ok) return { files, diagnostics: [] }; // e.g. a repository without commits yet
  let when = '';
  for (const line of log.stdout.split('\n')) {
    if (line.startsWith(MARK)) when = isoFromSeconds(line.slice(1));
    else if (line.endsWith('.md') && when) {
      const seen = files.get(line);
      // Committer dates need not be monotonic (rebases): take the extremes, not the log order.
      if (!seen) files.set(line, { first: when, last: when });
      else {
        if (when < seen.first) seen.first = when;
        if (when > seen.last) seen.last = when;
      }
    }
  }
  return { files, diagnostics: [] };
}

export const lastCommits = (dates: GitDates) => new Map([...dates.files].map(([file, d]) => [file, d.last]));
