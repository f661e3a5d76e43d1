// What this branch changes in advisories/ compared with a base ref (e.g. origin/main), for collisions and the PR summary.
import { ADVISORY_DIR } from '../read-files.ts';
import { AdvisoriesError } from '../../core/errors.ts';
import { git, gitOrThrow } from './run.ts';

export type Change = 'added' | 'changed' | 'removed';

export interface BaseComparison {
  ref: string;
  /** Advisory files on the base: path → blob id. */
  baseFiles: Map<string, string>;
  /** Files this branch (working tree included) adds, changes or removes since it forked from the base. */
  changes: Map<string, Change>;
}

const fail = (ref: string, why: string) =>
  new AdvisoriesError(
    'GIT',
    `--base ${ref}: ${why}. Fetch the base with full history (\`git fetch origin\`; in GitHub Actions, actions/checkout with \`fetch-depth: 0\`).`,
  );

/** Blob ids of the advisory files at a tree-ish. */
async function filesAt(root: string, treeish: string): Promise<Map<string, string>> {
  const out = await gitOrThrow(root, ['ls-tree', '-r', '--full-tree', treeish, '--', `${await prefix(root)}${ADVISORY_DIR}/`]);
  const files = new Map<string, string>();
  const strip = await prefix(root);
  for (const line of out.split('\n')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
    if (m && m[2]!.endsWith('.md')) files.set(m[2]!.slice(strip.length), m[1]!);
  }
  return files;
}

/** The root's path inside the repository ('' at the top), since ls-tree paths are repository-relative. */
const prefix = async (root: string) => (await gitOrThrow(root, ['rev-parse', '--show-prefix'])).trim();

export async function compareWithBase(root: string, ref: string): Promise<BaseComparison> {
  if (!(await git(root, ['rev-parse', '--is-inside-work-tree'])).ok) throw new AdvisoriesError('GIT', `--base needs a git repository, and ${root} is not in one`);
  if (!(await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).ok) throw fail(ref, 'no such commit here');
  const mergeBase = await git(root, ['merge-base', ref, 'HEAD']);
  if (!mergeBase.ok) throw fail(ref, 'this branch and the base have no common history here');
  const fork = mergeBase.stdout.trim();
  const [baseFiles, diff, untracked] = await Promise.all([
    filesAt(root, ref),
    gitOrThrow(root, ['diff', '--name-status', '--no-renames', '--relative', fork, '--', ADVISORY_DIR]),
    gitOrThrow(root, ['ls-files', '--others', '--exclude-standard', '--', ADVISORY_DIR]),
  ]);
  const changes = new Map<string, Change>();
  for (const line of diff.split('\n')) {
    const [status, file] = line.split('\t');
    if (!file?.endsWith('.md')) continue;
    changes.set(file, status === 'A' ? 'added' : status === 'D' ? 'removed' : 'changed');
  }
  for (const file of untracked.split('\n')) if (file.endsWith('.md')) changes.set(file, 'added');
  return { ref, baseFiles, changes };
}

/** Blob ids the working-tree files would get, to tell "the base already has this very file" from a collision. */
export async function blobIds(root: string, files: readonly string[]): Promise<Map<string, string>> {
  if (files.length === 0) return new Map();
  const out = await gitOrThrow(root, ['hash-object', '--', ...files]);
  const ids = out.trim().split('\n');
  return new Map(files.map((f, i) => [f, ids[i]!]));
}
