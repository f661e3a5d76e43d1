// The ledger's persistence between CI runs: a bare "origin", and fresh clones standing in for successive runs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { cli } from '../helpers/project.ts';

const PASS = { STATE_PASSPHRASE: 'correct horse battery staple' };
const LEDGER = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.from('alice@example.com sent SBX-2026-0001\n')]);
let top: string;
let origin: string;

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'advisories-statebranch-'));
  const seed = join(top, 'seed');
  mkdirSync(seed);
  initRepo(seed);
  writeFileSync(join(seed, '.gitignore'), '.advisories-state/\n');
  writeFileSync(join(seed, 'SECURITY.md'), '# Security\n');
  commitAll(seed, 'project', '2026-03-01T00:00:00Z');
  origin = join(top, 'origin.git');
  git(top, 'clone', '-q', '--bare', seed, origin);
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

let runs = 0;
/** A fresh checkout, as each CI run gets. */
function checkout(): string {
  const dir = join(top, `run-${++runs}`);
  git(top, 'clone', '-q', origin, dir);
  return dir;
}
const state = (root: string, ...args: string[]) => cli(['state', ...args, '--root', root], PASS, root);
const tip = () => git(origin, 'rev-parse', '--verify', '--quiet', 'refs/heads/advisories-state').trim();

describe('advisories state restore|save', () => {
  it('round-trips the ledger through an encrypted branch, fast-forward only, and leaves the checkout untouched', async () => {
    const first = checkout();
    const none = await state(first, 'restore');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No saved state on origin/advisories-state');
    expect(existsSync(join(first, '.advisories-state', 'ledger.sqlite'))).toBe(false);

    mkdirSync(join(first, '.advisories-state', 'sub'), { recursive: true });
    writeFileSync(join(first, '.advisories-state', 'ledger.sqlite'), LEDGER);
    writeFileSync(join(first, '.advisories-state', 'sub', 'cursor.json'), '{"n":1}');
    writeFileSync(join(first, '.advisories-state', 'notify.lock'), '{"pid":1}');
    // The acceleration store is CI cache material, rebuilt at will: it never goes onto the branch.
    mkdirSync(join(first, '.advisories-state', 'cache'), { recursive: true });
    writeFileSync(join(first, '.advisories-state', 'cache', 'check.jsonl'), 'k\tx\t{}\n');
    const saved = await state(first, 'save');
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain('Saved .advisories-state to origin/advisories-state');
    const firstTip = tip();
    expect(git(origin, 'ls-tree', '--name-only', firstTip).trim()).toBe('state.zip.pgp');
    // Subscribers' addresses never appear in the clear on the branch.
    expect(Buffer.from(git(origin, 'cat-file', 'blob', `${firstTip}:state.zip.pgp`), 'latin1').includes('alice@example.com')).toBe(false);
    expect(git(first, 'status', '--porcelain').trim()).toBe('');
    expect(git(first, 'branch', '--show-current').trim()).toBe('main');

    const second = checkout();
    const restored = await state(second, 'restore');
    expect(restored.code, restored.stderr).toBe(0);
    expect(readFileSync(join(second, '.advisories-state', 'ledger.sqlite')).equals(LEDGER)).toBe(true);
    expect(readFileSync(join(second, '.advisories-state', 'sub', 'cursor.json'), 'utf8')).toBe('{"n":1}');
    // A lock belongs to the machine that took it: a new runner must not inherit it.
    expect(existsSync(join(second, '.advisories-state', 'notify.lock'))).toBe(false);
    expect(existsSync(join(second, '.advisories-state', 'cache'))).toBe(false);

    const again = await state(second, 'save');
    expect(again.stdout).toContain('State unchanged');
    expect(tip()).toBe(firstTip);

    writeFileSync(join(second, '.advisories-state', 'ledger.sqlite'), Buffer.concat([LEDGER, Buffer.from('bob@example.com sent SBX-2026-0002\n')]));
    expect((await state(second, 'save')).code).toBe(0);
    expect(tip()).not.toBe(firstTip);
    expect(git(origin, 'rev-parse', `${tip()}^`).trim()).toBe(firstTip);
  });

  it('refuses to decrypt with another passphrase, and writes nothing', async () => {
    const dir = checkout();
    const r = await cli(['state', 'restore', '--root', dir], { STATE_PASSPHRASE: 'another passphrase entirely' }, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('STATE_PASSPHRASE is not the one it was saved with');
    expect(existsSync(join(dir, '.advisories-state'))).toBe(false);
  });

  it('never replaces a saved ledger with an empty folder', async () => {
    const dir = checkout();
    const before = tip();
    const r = await state(dir, 'save');
    expect(r.stdout).toContain('Nothing to save');
    expect(tip()).toBe(before);
  });

  it('needs STATE_PASSPHRASE, and says why', async () => {
    const dir = checkout();
    const r = await cli(['state', 'save', '--root', dir], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('STATE_PASSPHRASE must be set');
  });

  it('an unreachable remote is an error, not "no saved state"', async () => {
    const dir = checkout();
    git(dir, 'remote', 'set-url', 'origin', join(top, 'missing.git'));
    const r = await state(dir, 'restore');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot reach origin');
  });
});
