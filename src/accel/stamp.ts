// What every cache key starts with: the tool's own code and the exact versions of every package it
// runs, transitive ones included, so that an upgrade of any of them (a sanitizer fix deep in the tree)
// makes every entry a miss. Read from the installed packages, which is what actually runs.
import { hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shipped } from '../core/shipped.ts';

/** The package.json of `name` as Node would find it from `from` (node_modules up the tree). */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** What runs: the TypeScript sources in a checkout, the bundle in lib/ once built. */
const running = import.meta.url.endsWith('.ts') ? 'src' : 'lib';

type Manifest = { version?: string; dependencies?: Record<string, string> };
const readManifest = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** name@version of every package reachable from the tool's dependencies, sorted. */
function dependencyVersions(): string[] {
  const seen = new Map<string, string>();
  // Each package.json is read once: for its version, then for its dependencies.
  const visit = (pkgFile: string, pkg: Manifest) => {
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const found = findPackage(dep, dirname(pkgFile));
      if (!found || seen.has(found)) continue;
      const depPkg = readManifest(found);
      seen.set(found, `${dep}@${depPkg.version ?? '?'}`);
      visit(found, depPkg);
    }
  };
  visit(shipped('package.json'), readManifest(shipped('package.json')));
  return [...new Set(seen.values())].sort();
}

/** Every file of the running code (src/ from the sources, lib/ when built), by path and content. */
function codeDigest(): string {
  const parts: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}${entry.name}/`);
      else if (entry.isFile()) parts.push(`${rel}${entry.name}\0${hash('sha256', readFileSync(join(dir, entry.name)), 'hex')}`);
    }
  };
  walk(shipped(running), '');
  return hash('sha256', parts.join('\n'), 'hex');
}

/**
 * The libraries the bundle inlines are devDependencies: installed, the bundle's own bytes (in the code digest)
 * hold them. The sources import them from node_modules, so in a checkout the lockfile, which pins them, counts.
 */
function inlined(): string {
  if (running === 'lib') return '';
  try {
    return hash('sha256', readFileSync(shipped('package-lock.json')), 'hex');
  } catch {
    return 'no lockfile';
  }
}

let stamp: string | undefined;
export function toolStamp(): string {
  stamp ??= hash('sha256', [readFileSync(shipped('package.json'), 'utf8'), codeDigest(), inlined(), ...dependencyVersions()].join('\n'), 'hex');
  return stamp;
}
