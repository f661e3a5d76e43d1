// The package runs its bundle (scripts/bundle-cli.ts), not the sources the other tests run: it must
// find its templates, schema and worker entries from lib/bundle/ and make the same site, byte for byte.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryId, advisoryText, CONFIG } from '../../bench/corpus.ts';
import { bundleCli, NOTICES } from '../../scripts/bundle-cli.ts';
import { cli, NOW, tempProject } from '../helpers/project.ts';
import { readTree } from '../helpers/site.ts';

const REPO = new URL('../..', import.meta.url).pathname;
// Enough bodies for the build to render some on a worker thread (accel/markdown.ts).
const N = 120;
const project = tempProject(Object.fromEntries(Array.from({ length: N }, (_, i) => [`advisories/${advisoryId(i)}.md`, advisoryText(i)])), { config: CONFIG });
// Installed in the project, as `npm install --save-dev` puts it.
const pkg = join(project.root, 'node_modules/advisories');
afterAll(() => project.cleanup());

beforeAll(async () => {
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(pkg, 'lib')]);
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(pkg, 'node_modules'));
  await bundleCli(join(pkg, 'lib'));
  for (const part of ['bin', 'templates', 'schema', 'package.json']) cpSync(join(REPO, part), join(pkg, part), { recursive: true });
}, 120_000);

const packaged = (args: string[]) => execFileSync(process.execPath, [join(pkg, 'bin/advisories.js'), ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

// Names every CommonJS module the process loaded (the bundle's dependencies are required), as it exits.
const LOADED = `data:text/javascript,${encodeURIComponent("import { createRequire } from 'node:module'; const cache = createRequire('/').cache; process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(cache)) + '\\n'));")}`;
const loadedBy = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', LOADED, join(pkg, 'bin/advisories.js'), ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]!) as string[];
};

describe('the bundled CLI', () => {
  it('is what bin/advisories.js runs, and a build loads none of the mail or SQLite modules', () => {
    expect(packaged(['--help'])).toContain('Usage: advisories <command>');
    const mail = /node_modules\/(nodemailer|openpgp|better-sqlite3)\//;
    const build = loadedBy(['build', '--root', project.root, '--out', join(project.root, 'site-modules'), '--state', join(project.root, 'state-modules'), '--now', NOW]);
    expect(build.some((path) => path.endsWith('lib/bundle/cli.cjs'))).toBe(true);
    expect(build.filter((path) => mail.test(path))).toEqual([]);
    expect(build.some((path) => /node_modules\/ae-cvss-calculator\//.test(path))).toBe(true); // the probe sees the bundle's requires
  });

  it('ships the licence of every package it inlines, which an install no longer puts in node_modules', () => {
    const text = readFileSync(join(pkg, 'lib/bundle', NOTICES), 'utf8');
    const deps = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
    const named = text.split(`${'='.repeat(72)}\n`).slice(1).map((part) => {
      const [, name, version, body] = /^(@?[^@\n]+)@([^\n]+)\n\n([^]*)$/.exec(part)!;
      return { name: name!, version: version!, text: body! };
    });
    for (const lib of ['zod', 'semver', 'feed', 'yaml', 'yazl', 'eta', 'fastify', 'age-encryption']) {
      const entry = named.find((n) => n.name === lib);
      expect(entry, lib).toBeDefined();
      expect(deps.devDependencies[lib], lib).toBeDefined();
      // The licence's own words, not a name alone.
      expect(entry!.text.length, lib).toBeGreaterThan(200);
    }
    // What stays outside the bundle is installed with its own licence, and is not repeated here.
    for (const lib of Object.keys(deps.dependencies)) expect(named.map((n) => n.name)).not.toContain(lib);
  });

  it('writes nothing into the installed package when it runs', () => {
    const before = readdirSync(join(pkg, 'lib/bundle')).sort();
    packaged(['policy', '--root', project.root]);
    expect(readdirSync(join(pkg, 'lib/bundle')).sort()).toEqual(before);
  });

  it('builds the site the sources build, byte for byte, at a size that starts a render worker', async () => {
    const out = join(project.root, 'site-bundle');
    expect(packaged(['build', '--root', project.root, '--out', out, '--state', join(project.root, 'state-bundle'), '--now', NOW])).toContain(`${N} advisories published`);
    const r = await cli(['build', '--root', project.root, '--out', join(project.root, 'site-sources'), '--state', join(project.root, 'state-sources'), '--now', NOW]);
    expect(r.code, r.stderr).toBe(0);
    const [bundled, sources] = [readTree(out), readTree(join(project.root, 'site-sources'))];
    expect([...bundled.keys()]).toEqual([...sources.keys()]);
    for (const [path, bytes] of sources) if (path !== '.advisories-site') expect(bundled.get(path)!.equals(bytes), path).toBe(true);
  });

  it('points a new advisory at the JSON Schema it ships', () => {
    const text = packaged(['new', '--root', project.root, '--title', 'Bundled', '--severity', 'high', '--now', NOW]);
    const file = /advisories\/\S+\.md/.exec(text)![0];
    const schema = /\$schema=(\S+)/.exec(readFileSync(join(project.root, file), 'utf8'))![1]!;
    expect(schema).toBe('../node_modules/advisories/schema/advisory.schema.json');
    expect(existsSync(join(project.root, 'advisories', schema))).toBe(true);
  });
});
