// The package as `npm pack` makes it, for the tests that run the tool as an adopter gets it. Packed once per
// content of the sources (the tarball is cached in node_modules/.cache by a digest of what goes into it), so a
// rerun, or a second test file, does not compile and bundle again.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const PARTS = ['bin', 'src', 'scripts', 'templates', 'schema', 'docs', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md'];
export const CACHE = join(REPO, 'node_modules/.cache/advisories-tests');

function digest(): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    try {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } catch {
      hash.update(relative(REPO, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const part of PARTS) walk(join(REPO, part));
  hash.update(readFileSync(join(REPO, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/** The path of the packed tarball of this checkout, made on first use. */
export function packedTarball(): string {
  const tgz = join(CACHE, `advisories-${digest()}.tgz`);
  if (existsSync(tgz)) return tgz;
  mkdirSync(CACHE, { recursive: true });
  // A copy, so the checkout never sees lib/ (prepare builds it, postpack removes it).
  const work = mkdtempSync(join(tmpdir(), 'advisories-pack-'));
  try {
    const src = join(work, 'src');
    mkdirSync(src);
    for (const part of PARTS) cpSync(join(REPO, part), join(src, part), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(src, 'node_modules'));
    const name = execFileSync('npm', ['pack', '--pack-destination', work, '--loglevel', 'error'], { cwd: src, encoding: 'utf8' }).trim().split('\n').pop()!;
    // Renamed into place whole: a test file packing at the same time finds either nothing or a complete tarball.
    renameSync(join(work, name), tgz);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tgz;
}

/** The package's runtime dependencies and theirs, as npm would install them for an adopter (names, scopes included). */
function runtimeClosure(): Set<string> {
  const names = new Set<string>();
  const visit = (name: string) => {
    const manifest = join(REPO, 'node_modules', name, 'package.json');
    if (names.has(name) || !existsSync(manifest)) return;
    names.add(name);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies })) visit(dep);
  };
  const own = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(own.dependencies)) visit(dep);
  return names;
}

/**
 * Unpacks the tarball as `node_modules/advisories` under `top`, beside links to this checkout's installed
 * packages: installing them from the registry would rebuild better-sqlite3. `replace` puts real folders in
 * place of some of them (an addon built for another Node version). `runtimeOnly` links only the runtime
 * dependencies and theirs, what an install from the registry brings: the bundle must find nothing else.
 */
export function installPacked(top: string, replace: Record<string, string> = {}, { runtimeOnly = false } = {}): string {
  const modules = join(top, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const wanted = runtimeOnly ? runtimeClosure() : undefined;
  const names = readdirSync(join(REPO, 'node_modules')).flatMap((name) =>
    name.startsWith('@') ? readdirSync(join(REPO, 'node_modules', name)).map((sub) => `${name}/${sub}`) : [name],
  );
  for (const name of names) {
    if (name === 'advisories' || name === '.bin' || name === '.cache' || name in replace) continue;
    if (wanted && !wanted.has(name)) continue;
    mkdirSync(join(modules, name, '..'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', name), join(modules, name));
  }
  for (const [name, dir] of Object.entries(replace)) cpSync(dir, join(modules, name), { recursive: true });
  const pkg = join(modules, 'advisories');
  mkdirSync(pkg);
  execFileSync('tar', ['-xzf', packedTarball(), '-C', pkg, '--strip-components', '1']);
  return pkg;
}
