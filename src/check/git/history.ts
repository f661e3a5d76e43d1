// Every committed version of each advisory file on the main line, for the CSAF revision history: one
// `git log --raw` pass for the blob of each commit, one `git cat-file --batch` for the contents of the
// files that changed after their first commit or differ from it now. A file committed once and
// unchanged since (most of a database) is never read back.
import { spawn } from 'node:child_process';
import { parse } from 'yaml';
import type { AdvisoryHistory, CommittedVersion } from '../../core/history.ts';
import { AdvisoryFrontmatter } from '../../core/schema.ts';
import { splitFrontmatter } from '../parse-advisory.ts';
import { ADVISORY_DIR } from '../read-files.ts';
import { git, isoFromSeconds } from './run.ts';

const MARK = '\u0001';
const ZERO = /^0+$/;

/** Blob contents by id, from one `git cat-file --batch` process. */
function readBlobs(root: string, ids: readonly string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const blobs = new Map<string, string>();
      let pos = 0;
      while (pos < out.length) {
        const nl = out.indexOf(10, pos);
        if (nl < 0) break;
        const [id, type, size] = out.subarray(pos, nl).toString().split(' ');
        if (type !== 'blob') {
          pos = nl + 1;
          continue;
        }
        const end = nl + 1 + Number(size);
        blobs.set(id!, out.subarray(nl + 1, end).toString('utf8'));
        pos = end + 1;
      }
      resolve(blobs);
    });
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
}

/** A committed version's frontmatter, or undefined when it does not fit today's schema (it is then no revision). */
function frontmatterOf(text: string) {
  const split = splitFrontmatter(text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
  if (!split) return undefined;
  try {
    const result = AdvisoryFrontmatter.safeParse(parse(split.value));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `files`: root-relative paths of the advisories wanted. Not a repository, a shallow clone or no
 * commits: an empty history (each document then has the revisions its own dates give).
 */
export async function advisoryHistory(root: string, files: readonly string[]): Promise<AdvisoryHistory> {
  const history = new Map<string, CommittedVersion[]>();
  const shallow = await git(root, ['rev-parse', '--is-shallow-repository']);
  if (!shallow.ok || shallow.stdout.trim() === 'true') return history;
  const [log, status] = await Promise.all([
    git(root, ['log', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--relative', '--raw', '--no-abbrev', `--format=${MARK}%ct`, '--', ADVISORY_DIR]),
    git(root, ['diff', '--name-only', '--no-renames', '--relative', 'HEAD', '--', ADVISORY_DIR]),
  ]);
  if (!log.ok) return history;
  const wanted = new Set(files);
  const blobsOf = new Map<string, { at: string; blob: string }[]>();
  let when = '';
  for (const line of log.stdout.split('\n')) {
    if (line.startsWith(MARK)) when = isoFromSeconds(line.slice(1));
    else if (line.startsWith(':') && when) {
      const tab = line.indexOf('\t');
      const file = line.slice(tab + 1);
      const blob = line.slice(0, tab).split(' ')[3]!;
      if (!wanted.has(file) || ZERO.test(blob)) continue;
      let list = blobsOf.get(file);
      if (!list) blobsOf.set(file, (list = []));
      list.push({ at: when, blob }); // newest first, as git log gives them
    }
  }
  // Files whose working copy differs from the last commit: their last commit is not "as it is now".
  const changed = new Set(status.ok ? status.stdout.split('\n').filter(Boolean) : []);
  const toRead = new Set<string>();
  for (const [file, list] of blobsOf) {
    const newest = list[0]!.blob;
    if (changed.has(file) || list.some((v) => v.blob !== newest)) for (const v of list) toRead.add(v.blob);
  }
  const contents = toRead.size > 0 ? await readBlobs(root, [...toRead]) : new Map<string, string>();
  const parsed = new Map<string, ReturnType<typeof frontmatterOf>>();
  for (const [file, list] of blobsOf) {
    const newest = list[0]!.blob;
    const versions: CommittedVersion[] = [];
    for (const { at, blob } of [...list].reverse()) {
      if (blob === newest && !changed.has(file)) {
        versions.push({ at });
        continue;
      }
      if (!parsed.has(blob)) parsed.set(blob, contents.has(blob) ? frontmatterOf(contents.get(blob)!) : undefined);
      const frontmatter = parsed.get(blob);
      if (frontmatter) versions.push({ at, frontmatter });
    }
    history.set(file, versions);
  }
  return history;
}
