// `check --staged`: what the next commit would hold, copied out of git's index into a temporary folder
// and checked there, so a pre-commit hook judges the commit, not the working tree.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvisoriesError } from '../../core/errors.ts';
import { ADVISORY_DIR } from '../read-files.ts';
import { POLICY_PLACES } from '../security-md.ts';
import { git, gitOrThrow } from './run.ts';

export interface StagedCopy {
  /** The project as staged: the root inside the copy. */
  root: string;
  cleanup(): Promise<void>;
}

export async function stagedCopy(root: string): Promise<StagedCopy> {
  if (!(await git(root, ['rev-parse', '--is-inside-work-tree'])).ok) throw new AdvisoriesError('GIT', `--staged needs a git repository, and ${root} is not in one`);
  const [top, prefix] = await Promise.all([gitOrThrow(root, ['rev-parse', '--show-toplevel']), gitOrThrow(root, ['rev-parse', '--show-prefix'])]);
  // Only what a check reads: the advisories, the policy wherever GitHub looks for it (.github/, the root,
  // docs/) and the config (its file, or package.json's key).
  const listed = await gitOrThrow(root, ['ls-files', '-z', '--full-name', '--', ADVISORY_DIR, ...POLICY_PLACES, 'advisories.config.json', 'package.json']);
  const dir = await mkdtemp(join(tmpdir(), 'advisories-staged-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const files = listed.split('\0').filter(Boolean);
    if (files.length) await gitOrThrow(top.trim(), ['checkout-index', `--prefix=${dir}/`, '--', ...files]);
  } catch (error) {
    await cleanup();
    throw new AdvisoriesError('GIT', `could not copy the staged files out of the index: ${(error as Error).message}`);
  }
  return { root: join(dir, prefix.trim()), cleanup };
}
