// A state branch as an attacker or an accident could leave it: every case exits 2 with one message, and
// the state folder is left exactly as it was (nothing of a refused archive is written).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../../src/state/archive.ts';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { cli } from '../helpers/project.ts';

const PASSPHRASE = 'correct horse battery staple';
let top: string;
let origin: string;
let runs = 0;

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'advisories-hostile-state-'));
  const seed = join(top, 'seed');
  mkdirSync(seed);
  initRepo(seed);
  writeFileSync(join(seed, 'SECURITY.md'), '# Security\n');
  commitAll(seed, 'project', '2026-03-01T00:00:00Z');
  origin = join(top, 'origin.git');
  git(top, 'clone', '-q', '--bare', seed, origin);
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** Puts `sealed` on origin's state branch as the one file a save would write. */
function putOnBranch(sealed: Uint8Array) {
  const dir = join(top, `writer-${++runs}`);
  git(top, 'clone', '-q', origin, dir);
  git(dir, 'checkout', '-q', '--orphan', 'state');
  git(dir, 'rm', '-rq', '--cached', '.');
  rmSync(join(dir, 'SECURITY.md'));
  writeFileSync(join(dir, 'state.zip.pgp'), sealed);
  commitAll(dir, 'state', '2026-03-02T00:00:00Z');
  git(dir, 'push', '-q', '-f', 'origin', 'HEAD:refs/heads/advisories-state');
}

/** A fresh checkout whose state folder already holds a ledger: what a refused restore must leave alone. */
function checkout(): { dir: string; state: string } {
  const dir = join(top, `run-${++runs}`);
  git(top, 'clone', '-q', origin, dir);
  const state = join(dir, '.advisories-state');
  mkdirSync(state);
  writeFileSync(join(state, 'mail-ledger.sqlite'), 'the ledger of this runner');
  return { dir, state };
}

const restore = (dir: string, passphrase = PASSPHRASE) => cli(['state', 'restore', '--root', dir], { STATE_PASSPHRASE: passphrase }, dir);
const zip = (tree: Zippable) => zipSync(tree);
const untouched = (state: string) => {
  expect(readdirSync(state)).toEqual(['mail-ledger.sqlite']);
  expect(readFileSync(join(state, 'mail-ledger.sqlite'), 'utf8')).toBe('the ledger of this runner');
};

/** Sets the size that the archive's directory declares for every entry (the central directory record). */
function declareSize(bytes: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true);
  return out;
}

describe('a hostile state archive', () => {
  it('an entry with `..` is refused before anything is written, the good entries beside it included', async () => {
    putOnBranch(await seal(zip({ 'mail-ledger.sqlite': new TextEncoder().encode('theirs'), '../escaped.txt': new Uint8Array([1]) }), PASSPHRASE));
    const { dir, state } = checkout();
    const r = await restore(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('advisories state: refusing the state archive: entry "../escaped.txt" is a path leaving the state folder (`..`). Nothing was restored; the state folder is as it was.\n');
    untouched(state);
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
  });

  it('an absolute path is refused', async () => {
    putOnBranch(await seal(zip({ '/tmp/advisories-absolute.txt': new Uint8Array([1]) }), PASSPHRASE));
    const { dir, state } = checkout();
    const r = await restore(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('entry "/tmp/advisories-absolute.txt" is an absolute path');
    untouched(state);
  });

  it('an entry declaring more than a state folder may hold is refused from the directory alone, never inflated', async () => {
    putOnBranch(await seal(declareSize(zip({ 'mail-ledger.sqlite': new Uint8Array(64) }), 0xfffffff0), PASSPHRASE));
    const { dir, state } = checkout();
    const r = await restore(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`entry "mail-ledger.sqlite" is ${0xfffffff0} bytes, over the limit of ${1024 ** 3} for one file`);
    untouched(state);
  });

  it('a lock (and the cache) in an archive is left out, and said so; the ledger is restored', async () => {
    const lock = new TextEncoder().encode('{"pid":1}');
    putOnBranch(await seal(zip({ 'mail-ledger.sqlite': new TextEncoder().encode('theirs'), 'notify.lock': lock, 'cache/check.jsonl': lock }), PASSPHRASE));
    const { dir, state } = checkout();
    const r = await restore(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Restored 1 file(s) from origin/advisories-state into .advisories-state: mail-ledger.sqlite');
    expect(r.stdout).toContain('Left out cache/check.jsonl, notify.lock: locks and the cache belong to the machine that saved them.');
    expect(readdirSync(state)).toEqual(['mail-ledger.sqlite']);
    expect(readFileSync(join(state, 'mail-ledger.sqlite'), 'utf8')).toBe('theirs');
  });

  it('a damaged file on the branch is told apart from a wrong passphrase', async () => {
    const sealed = await seal(zip({ 'mail-ledger.sqlite': new Uint8Array(2000).fill(7) }), PASSPHRASE);
    const damaged = Uint8Array.from(sealed);
    damaged[damaged.length - 20]! ^= 1;
    putOnBranch(damaged);
    const { dir, state } = checkout();
    const r = await restore(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state\.zip\.pgp on origin\/advisories-state is damaged \(.*Modification detected.*\): STATE_PASSPHRASE is not the problem, keep it/);
    untouched(state);

    putOnBranch(new TextEncoder().encode('not an OpenPGP message at all'));
    const garbage = await restore(dir);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('is damaged');
    expect(garbage.stderr).toContain('STATE_PASSPHRASE is not the problem');

    putOnBranch(sealed);
    const wrong = await restore(dir, 'another passphrase entirely');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('STATE_PASSPHRASE is not the one it was saved with');
    expect(wrong.stderr).not.toContain('damaged');
    untouched(state);
  });

  it('a state folder that cannot be written is one message, exit 2', async () => {
    putOnBranch(await seal(zip({ 'mail-ledger.sqlite': new Uint8Array([1]) }), PASSPHRASE));
    const dir = join(top, `run-${++runs}`);
    git(top, 'clone', '-q', origin, dir);
    writeFileSync(join(dir, 'not-a-folder'), 'a file where the state folder should be');
    const r = await cli(['state', 'restore', '--root', dir, '--state', join(dir, 'not-a-folder', 'state')], { STATE_PASSPHRASE: PASSPHRASE }, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^advisories state: cannot write the state folder .*not-a-folder\/state \(a file stands where a folder must be\): make it writable by this user, or choose another with --state DIR\n$/);
  });
});
