// A coordinated disclosure in a real git repository with the pre-commit hook installed as the docs say:
// the hook refuses a clear embargoed advisory, the sealed one goes in, and until its publish time the
// branch's history (`git log -p`) holds none of its text; the site built after that time has it.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity } from '../../src/check/sealed.ts';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { advisory, SEED_POLICY } from '../helpers/project.ts';

const REPO = realpathSync(new URL('../..', import.meta.url));
const BEFORE = '2026-11-25T12:00:00Z';
const PUBLISHED = '2026-12-10T12:00:00Z';
const AFTER = '2026-12-11T00:00:00Z';
const TITLE = 'Heap overflow in the frobnicator';
const FILE = 'advisories/SBX-2026-0002.md';

let top: string;
let root: string;
let env: NodeJS.ProcessEnv;

const run = (cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, ...env, ...extra } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });
const advisories = (args: string[], extra: NodeJS.ProcessEnv = {}) => run('node', [join(REPO, 'bin/advisories.js'), ...args], extra);
/** `git commit` as the maintainer types it: the pre-commit hook runs, at the clock given. */
const commit = (message: string, now: string) => run('git', ['commit', '-q', '-m', message], { HOOK_NOW: now });

beforeAll(async () => {
  top = mkdtempSync(join(tmpdir(), 'advisories-sealed-git-'));
  root = join(top, 'project');
  const key = await newIdentity();
  writeFileSync(join(top, 'key.txt'), `# public key: ${key.recipient}\n${key.identity}\n`, { mode: 0o600 });
  env = {
    GIT_AUTHOR_NAME: 'Maintainer', GIT_AUTHOR_EMAIL: 'm@example.test', GIT_COMMITTER_NAME: 'Maintainer', GIT_COMMITTER_EMAIL: 'm@example.test',
    GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ADVISORIES_AGE_IDENTITY_FILE: join(top, 'key.txt'), ADVISORIES_ACCEL: '0',
  };
  mkdirSync(join(root, 'advisories'), { recursive: true });
  initRepo(root);
  writeFileSync(join(root, 'SECURITY.md'), SEED_POLICY);
  writeFileSync(join(root, 'advisories.config.json'), JSON.stringify({ package: 'scalebox-sdk', idPrefix: 'SBX', seal: { recipients: [key.recipient] } }));
  writeFileSync(join(root, 'advisories/SBX-2026-0001.md'), advisory('SBX-2026-0001'));
  writeFileSync(join(root, '.gitignore'), 'dist/\n.advisories-state/\n');
  commitAll(root, 'init', '2026-11-01T00:00:00Z');
  // The hook as docs/publishing.md installs it; HOOK_NOW stands in for the clock.
  const hook = join(root, '.git/hooks/pre-commit');
  writeFileSync(hook, `#!/bin/sh\nexec node "${join(REPO, 'bin/advisories.js')}" check --staged --now "$HOOK_NOW"\n`);
  chmodSync(hook, 0o755);
}, 60_000);
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('report, draft sealed, fix, publish', () => {
  it('the hook refuses the clear draft; the sealed one is committed; edits stay sealed', async () => {
    writeFileSync(join(root, FILE), advisory('SBX-2026-0002', { title: TITLE, reported: '2026-12-05', published: PUBLISHED }));
    await run('git', ['add', FILE]);
    const refused = await commit('Draft SBX-2026-0002', BEFORE);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/embargo-clear/);
    expect(refused.stdout + refused.stderr).toContain(`advisories seal ${FILE}`);
    expect((await run('git', ['rev-list', '--count', 'HEAD'])).stdout.trim()).toBe('1');

    expect((await advisories(['seal', FILE])).code).toBe(0);
    await run('git', ['add', FILE]);
    const sealed = await commit('Draft SBX-2026-0002, sealed', BEFORE);
    expect(sealed.code).toBe(0);
    expect(sealed.stdout + sealed.stderr).toContain('0 errors, 0 warnings');

    const editor = join(top, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i 's/Upgrade\\./Upgrade to 1.2.0./' "$1"\n`, { mode: 0o755 });
    expect((await advisories(['edit', FILE], { EDITOR: editor })).code).toBe(0);
    await run('git', ['add', FILE]);
    expect((await commit('SBX-2026-0002: the fix', BEFORE)).code).toBe(0);
  }, 120_000);

  it('until the publish time, `git log -p` of the branch holds none of its text', async () => {
    const log = (await run('git', ['log', '-p', '--all'])).stdout;
    expect(log).toContain('+id: SBX-2026-0002');
    expect(log).toContain('+published: 2026-12-10T12:00:00Z');
    for (const s of [TITLE, 'frobnicator', 'Upgrade to 1.2.0']) expect(log).not.toContain(s);
  });

  it('the hourly run after the publish time builds a site that has it; unseal --published then commits it readable', async () => {
    const before = await advisories(['build', '--out', 'dist', '--now', BEFORE]);
    expect(before.code).toBe(0);
    expect(readFileSync(join(root, 'dist/index.json'), 'utf8')).not.toContain('SBX-2026-0002');

    const after = await advisories(['build', '--out', 'dist', '--now', AFTER]);
    expect(after.stdout).toContain('2 advisories published, 0 embargoed');
    expect(readFileSync(join(root, 'dist/index.json'), 'utf8')).toContain(TITLE);
    expect(readFileSync(join(root, 'dist/advisories/SBX-2026-0002.html'), 'utf8')).toContain('Upgrade to 1.2.0.');

    expect((await advisories(['unseal', '--published', '--now', AFTER])).stdout).toContain(`Unsealed ${FILE}`);
    await run('git', ['add', FILE]);
    expect((await commit('SBX-2026-0002 published: unsealed', AFTER)).code).toBe(0);
    expect((await run('git', ['log', '-p', '-1'])).stdout).toContain(`+title: ${TITLE}`);
  }, 120_000);
});
