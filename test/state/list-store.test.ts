// The SQLite list store (subscribers and ledger) goes between CI runs with the rest of the state folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { cli } from '../helpers/project.ts';

const PASS = { STATE_PASSPHRASE: 'correct horse battery staple' };
const top = mkdtempSync(join(tmpdir(), 'advisories-statelist-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

it('carries the SQLite list store on the state branch: a fresh checkout sees the same subscribers', async () => {
  const seed = join(top, 'seed');
  mkdirSync(seed);
  initRepo(seed);
  writeFileSync(join(seed, '.gitignore'), '.advisories-state/\n');
  writeFileSync(join(seed, 'SECURITY.md'), '# Security\n');
  commitAll(seed, 'project', '2026-03-01T00:00:00Z');
  const origin = join(top, 'origin.git');
  git(top, 'clone', '-q', '--bare', seed, origin);

  const first = join(top, 'run-1');
  git(top, 'clone', '-q', origin, first);
  writeFileSync(join(top, 'list.csv'), 'email,min_severity,versions\nalice@example.com,high,\nbob@example.com,,\n');
  const imported = await cli(['subscribers', 'import', join(top, 'list.csv'), '--root', first], {}, first);
  expect(imported.code, imported.stderr).toBe(0);
  const saved = await cli(['state', 'save', '--root', first], PASS, first);
  expect(saved.code, saved.stderr).toBe(0);
  const tip = git(origin, 'rev-parse', 'refs/heads/advisories-state').trim();
  expect(Buffer.from(git(origin, 'cat-file', 'blob', `${tip}:state.zip.pgp`), 'latin1').includes('alice@example.com')).toBe(false);

  const second = join(top, 'run-2');
  git(top, 'clone', '-q', origin, second);
  const restored = await cli(['state', 'restore', '--root', second], PASS, second);
  expect(restored.code, restored.stderr).toBe(0);
  expect(restored.stdout).toContain('list.sqlite');
  const counts = await cli(['subscribers', '--root', second], {}, second);
  expect(counts.code, counts.stderr).toBe(0);
  expect(counts.stdout).toMatch(/active\s+2\n/);
});
