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
  } catch {
    throw new AdvisoriesError('STATE', `cannot decrypt ${STATE_FILE} on ${o.remote}/${o.branch}: STATE_PASSPHRASE is not the one it was saved with`);
  }
}

export async function restoreState(o: StateBranch): Promise<{ found: boolean; files: string[] }> {
  if (!(await fetchState(o))) return { found: false, files: [] };
  const zip = await readSaved(o);
  await mkdir(o.state, { recursive: true });
  return { found: true, files: await unzipInto(zip, o.state) };
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
