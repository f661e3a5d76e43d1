// Keeps the state folder (the mail ledger) between CI runs on a dedicated branch, as one encrypted file.
// Only ever fast-forwards the branch: a concurrent writer makes the push fail instead of losing its ledger.
import { AdvisoriesError } from '../core/errors.ts';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitBytes, gitOrThrow } from '../check/git/run.ts';
import { seal, unseal, unzipInto, zipFolder } from './archive.ts';

export const STATE_FILE = 'state.zip.pgp';
const LOCAL_REF = 'refs/advisories/state';

export interface StateBranch {
  /** The repository to run git in (the project root). */
  root: string;
  /** The local state folder (e.g. .advisories-state). */
  state: string;
  remote: string;
  branch: string;
  passphrase: string;
  /** Committer identity and other git environment. */
  env?: NodeJS.ProcessEnv;
}


/** Fetches the branch into a private ref; false when the remote has no such branch yet (a network failure throws). */
async function fetchState({ root, remote, branch }: StateBranch): Promise<boolean> {
  const ls = await git(root, ['ls-remote', '--exit-code', '--heads', remote, `refs/heads/${branch}`]);
  if (ls.code === 2) return false;
  if (!ls.ok) throw new AdvisoriesError('STATE', `cannot reach ${remote} to look for the ${branch} branch: ${ls.stderr}`);
  await gitOrThrow(root, ['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${LOCAL_REF}`]);
  return true;
}

async function readSaved(o: StateBranch): Promise<Uint8Array> {
  const sealed = await gitBytes(o.root, ['cat-file', 'blob', `${LOCAL_REF}:${STATE_FILE}`]);
  try {
    return await unseal(sealed, o.passphrase);
  } catch (error) {
    const where = `${STATE_FILE} on ${o.remote}/${o.branch}`;
    if ((error as { failure?: string }).failure === 'damaged') {
      throw new AdvisoriesError('STATE', `${where} is damaged (${(error as Error).message}): STATE_PASSPHRASE is not the problem, keep it. Restore the branch to an earlier commit of it (\`git log ${o.branch}\`), and fix whatever wrote to it`);
    }
    throw new AdvisoriesError('STATE', `cannot decrypt ${where}: STATE_PASSPHRASE is not the one it was saved with`);
  }
}

export async function restoreState(o: StateBranch): Promise<{ found: boolean; files: string[]; skipped: string[] }> {
  if (!(await fetchState(o))) return { found: false, files: [], skipped: [] };
  const zip = await readSaved(o);
  try {
    await mkdir(o.state, { recursive: true });
    return { found: true, ...(await unzipInto(zip, o.state)) };
  } catch (error) {
    throw stateFolderError(error, o.state);
  }
}

/** The state folder cannot be written: the operator's to fix, with what to do (exit 2), never a stack trace. */
export function stateFolderError(error: unknown, state: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS' && code !== 'ENOSPC' && code !== 'ENOTDIR') return error;
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'ENOTDIR' ? 'a file stands where a folder must be' : code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
  return new AdvisoriesError('STATE', `cannot write the state folder ${state} (${why}): make it writable by this user, or choose another with --state DIR`, { cause: error });
}

export type SaveResult = { saved: true; commit: string } | { saved: false; reason: 'empty' | 'unchanged' };

export async function saveState(o: StateBranch): Promise<SaveResult> {
  const zip = await zipFolder(o.state);
  // Never replace a saved ledger with nothing: an empty folder means this run never had one.
  if (!zip) return { saved: false, reason: 'empty' };
  const exists = await fetchState(o);
  if (exists && Buffer.from(await readSaved(o)).equals(Buffer.from(zip))) return { saved: false, reason: 'unchanged' };
  const tmp = await mkdtemp(join(tmpdir(), 'advisories-state-'));
  try {
    const sealedPath = join(tmp, STATE_FILE);
    await writeFile(sealedPath, await seal(zip, o.passphrase));
    const blob = (await gitOrThrow(o.root, ['hash-object', '-w', sealedPath])).trim();
    // A private index builds the one-file tree without touching the checkout's index or working tree.
    const env = { ...o.env, GIT_INDEX_FILE: join(tmp, 'index') };
    await gitOrThrow(o.root, ['update-index', '--add', '--cacheinfo', `100644,${blob},${STATE_FILE}`], env);
    const tree = (await gitOrThrow(o.root, ['write-tree'], env)).trim();
    const parent = exists ? ['-p', (await gitOrThrow(o.root, ['rev-parse', LOCAL_REF])).trim()] : [];
    const commit = (await gitOrThrow(o.root, ['commit-tree', tree, ...parent, '-m', 'Advisories state (mail ledger) after notify'], env)).trim();
    const push = await git(o.root, ['push', '--quiet', o.remote, `${commit}:refs/heads/${o.branch}`], o.env);
    if (!push.ok) throw new AdvisoriesError('STATE', `could not push the state to ${o.remote}/${o.branch} (did another run move it?): ${push.stderr}`);
    return { saved: true, commit };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
