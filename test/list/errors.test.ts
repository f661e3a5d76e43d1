// A store that cannot be reached or written: a clear message and exit 2, never a stack trace or a password.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../../src/list/index.ts';
import { cli } from '../helpers/project.ts';

const top = mkdtempSync(join(tmpdir(), 'advisories-list-errors-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

it('a PostgreSQL that is down is named without its password', async () => {
  const r = await cli(['subscribers', '--state', join(top, 'state')], { DATABASE_URL: 'postgres://advisories:s3cret-pass@127.0.0.1:1/list' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/the list store at postgres:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1\/list failed: .*ECONNREFUSED/);
  expect(r.stderr).not.toContain('s3cret-pass');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it('a state folder that cannot be made says so', async () => {
  // (A file where the folder should be: unlike a read-only folder, it stops root too.)
  const file = join(top, 'not-a-folder');
  writeFileSync(file, '');
  const r = await cli(['subscribers', '--state', join(file, 'state')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/the list store .*list\.sqlite failed \(ENOTDIR: .*\): check that the state folder is a folder this user can write/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it('an invalid address reaching the store is a usage error, not a crash', async () => {
  const store = await openStore({ state: join(top, 'ok') });
  try {
    await expect(store.confirm('not an address\r\n', new Date())).rejects.toMatchObject({ code: 'USAGE' });
  } finally {
    await store.close();
  }
});
