// End to end, as another project uses the tool: a git repository with its own SECURITY.md, config, templates and
// advisories across dated commits; the packed package (npm pack: `prepare` compiles and bundles lib/) installed into it; then
// check, build and notify through `npx advisories`, with mail to a real SMTP server on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, initRepo } from '../helpers/git.ts';
import { advisory, SEED_POLICY } from '../helpers/project.ts';

const REPO = realpathSync(new URL('../..', import.meta.url));
const NOW = '2026-11-25T12:00:00Z';
let top: string;
let project: string;
let installed: string;

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });

/** What a project's maintainer types. `--no` = never fetch from the registry: it must be the installed package. */
const advisories = (args: string[], env: NodeJS.ProcessEnv = {}) => run('npx', ['--no', 'advisories', ...args], project, env);

/** Packs a copy of the package (so the checkout never sees lib/), then unpacks it into the project's node_modules. */
async function packAndInstall(): Promise<string> {
  const src = join(top, 'package-src');
  mkdirSync(src);
  for (const name of ['bin', 'src', 'scripts', 'templates', 'schema', 'docs', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md']) {
    await run('cp', ['-R', join(REPO, name), src], REPO);
  }
  symlinkSync(join(REPO, 'node_modules'), join(src, 'node_modules'));
  const packed = await run('npm', ['pack', '--pack-destination', top, '--loglevel', 'error'], src);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tgz = join(top, packed.stdout.trim().split('\n').pop()!);
  const dir = join(project, 'node_modules', 'advisories');
  mkdirSync(dir, { recursive: true });
  await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components', '1'], top);
  // Dependencies come from this checkout's node_modules: installing them from the registry would rebuild
  // better-sqlite3, which needs the network. The package itself is exactly what `npm pack` produced.
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync('../advisories/bin/advisories.js', join(project, 'node_modules', '.bin', 'advisories'));
  return dir;
}

interface Received { to: string[]; subject: string }
let smtp: SMTPServer;
let smtpUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  top = mkdtempSync(join(tmpdir(), 'advisories-e2e-'));
  project = join(top, 'demo');
  mkdirSync(project);
  initRepo(project);
  const write = (path: string, text: string) => {
    mkdirSync(join(project, path, '..'), { recursive: true });
    writeFileSync(join(project, path), text);
  };
  write('package.json', JSON.stringify({ name: 'demo-product', private: true, devDependencies: { advisories: '0.1.0' } }, null, 2));
  write('.gitignore', 'node_modules/\ndist/\n.advisories-state/\noutbox/\n');
  write('SECURITY.md', SEED_POLICY);
  write('advisories.config.json', JSON.stringify({
    // Private: its embargoes are merged early in clear text (sealed ones: sealed-git.test.ts).
    product: 'Demo', siteUrl: 'https://security.demo.test/', idPrefix: 'DEMO', package: 'demo-product', ecosystem: 'npm', visibility: 'private',
    mail: { from: 'Demo Security <security@demo.test>', listId: 'Demo security <security.demo.test>', unsubscribeUrl: 'https://security.demo.test/u?token={token}' },
  }, null, 2));
  // An embargo merged early: the commit is before `published`, so `modified` stays at `published`.
  write('advisories/DEMO-2026-0001.md', advisory('DEMO-2026-0001', { severity: 'critical', published: '2026-03-05T09:00:00Z', reported: '2026-03-04' }));
  commitAll(project, 'DEMO-2026-0001, embargoed until its release', '2026-03-05T08:00:00Z');
  write('advisories/DEMO-2026-0002.md', advisory('DEMO-2026-0002', { severity: 'low', published: '2026-04-10T12:00:00Z', reported: '2026-04-01' }));
  write('advisories/DEMO-2026-0003.md', advisory('DEMO-2026-0003', { published: '2026-12-31T00:00:00Z', reported: '2026-12-28' }));
  commitAll(project, 'DEMO-2026-0002, and 0003 under embargo', '2026-04-10T12:34:56Z');
  write('advisories/DEMO-2026-0001.md', advisory('DEMO-2026-0001', { severity: 'critical', published: '2026-03-05T09:00:00Z', reported: '2026-03-04' }, '## Impact\n\nRemote code execution, reworded.\n\n## Patches\n\nUpgrade.\n'));
  commitAll(project, 'DEMO-2026-0001: clearer impact', '2026-05-20T07:00:00Z');

  installed = await packAndInstall();
  // The project's own template wins over the bundled one of the same name.
  write('templates/layout.html.eta', readFileSync(join(installed, 'templates', 'layout.html.eta'), 'utf8').replace('<body>', '<body><p id="demo-template">Demo security</p>'));
  write('subscribers.csv', 'email,min_severity,versions\nall@demo.test,,\ncritical@demo.test,critical,\n');

  smtp = new SMTPServer({
    logger: false, authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      simpleParser(stream).then((m) => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? '' });
        callback(null);
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  rmSync(top, { recursive: true, force: true });
});

const mailEnv = () => ({ SMTP_URL: smtpUrl, SUBSCRIBERS: join(project, 'subscribers.csv'), UNSUBSCRIBE_SECRET: 'e2e-unsubscribe-secret-0123456789' });
const mailed = () => received.splice(0).flatMap((m) => m.to.map((to) => `${/DEMO-\d{4}-\d{4}/.exec(m.subject)?.[0]} → ${to}`)).sort();
const index = () => JSON.parse(readFileSync(join(project, 'dist', 'index.json'), 'utf8')) as { advisories: { id: string; modified: string }[] };
const modifiedById = () => Object.fromEntries(index().advisories.map((a) => [a.id, a.modified]));

describe('another project using the packed tool', () => {
  it('the package holds one form of the code (the bundle), the templates and the schemas, and no TypeScript sources', () => {
    for (const path of ['lib/bundle/cli.cjs', 'bin/advisories.js', 'templates/advisory.html.eta', 'schema/advisory.schema.json', 'docs/publishing.md']) {
      expect(() => readFileSync(join(installed, path)), path).not.toThrow();
    }
    expect(() => readFileSync(join(installed, 'src/cli/main.ts'))).toThrow();
    expect(() => readFileSync(join(installed, 'lib/cli/main.js'))).toThrow();
  });

  it('check and build: `modified` dates from git in index.json and OSV, the project template wins', async () => {
    const check = await advisories(['check', '--now', NOW]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).not.toContain('git-shallow');

    const build = await advisories(['build', '--out', 'dist', '--now', NOW]);
    expect(build.code, build.stderr).toBe(0);
    expect(modifiedById()).toEqual({ 'DEMO-2026-0001': '2026-05-20T07:00:00Z', 'DEMO-2026-0002': '2026-04-10T12:34:56Z' });
    const osv = JSON.parse(readFileSync(join(project, 'dist', 'osv', 'DEMO-2026-0002.json'), 'utf8')) as { modified: string };
    expect(osv.modified).toBe('2026-04-10T12:34:56Z');
    expect(readFileSync(join(project, 'dist', 'advisories', 'DEMO-2026-0001.html'), 'utf8')).toContain('<p id="demo-template">Demo security</p>');
    // Templates the project does not override still come from the installed package.
    expect(readFileSync(join(project, 'dist', 'assets', 'style.css'), 'utf8')).toBe(readFileSync(join(installed, 'templates', 'style.css'), 'utf8'));
  }, 180_000); // several CLI runs of the packed tool: slow on a busy 2-core machine

  it('notify: a missing ledger refuses until --fresh; the ledger survives a new runner via the state branch; then only the new advisory is mailed', async () => {
    const refused = await advisories(['notify', '--require-ledger', '--now', NOW], mailEnv());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no mail ledger');
    expect(mailed()).toEqual([]);

    const fresh = await advisories(['notify', '--fresh', '--now', NOW], mailEnv());
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    expect(mailed()).toEqual(['DEMO-2026-0001 → all@demo.test', 'DEMO-2026-0001 → critical@demo.test', 'DEMO-2026-0002 → all@demo.test']);

    // As in CI: save the ledger to the state branch, lose the runner's folder, restore it on the next run.
    const origin = join(top, 'origin.git');
    await run('git', ['init', '-q', '--bare', origin], top);
    await run('git', ['remote', 'add', 'origin', origin], project);
    const passphrase = { STATE_PASSPHRASE: 'e2e state passphrase, long enough' };
    expect((await advisories(['state', 'save'], passphrase)).code).toBe(0);
    rmSync(join(project, '.advisories-state'), { recursive: true, force: true });
    expect((await advisories(['notify', '--require-ledger', '--now', NOW], mailEnv())).code).toBe(2);
    const restored = await advisories(['state', 'restore'], passphrase);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('list.sqlite');
    expect(mailed()).toEqual([]);

    // A new advisory in a new commit: the next run mails only that one.
    writeFileSync(join(project, 'advisories', 'DEMO-2026-0004.md'), advisory('DEMO-2026-0004', { severity: 'critical', published: '2026-06-01T10:00:00Z', reported: '2026-05-30' }));
    commitAll(project, 'DEMO-2026-0004', '2026-06-02T15:16:17Z');
    expect((await advisories(['check', '--now', NOW])).code).toBe(0);
    expect((await advisories(['build', '--out', 'dist', '--now', NOW])).code).toBe(0);
    expect(modifiedById()['DEMO-2026-0004']).toBe('2026-06-02T15:16:17Z');
    const second = await advisories(['notify', '--require-ledger', '--now', NOW], mailEnv());
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(mailed()).toEqual(['DEMO-2026-0004 → all@demo.test', 'DEMO-2026-0004 → critical@demo.test']);
  }, 180_000); // several CLI runs of the packed tool: slow on a busy 2-core machine
});
