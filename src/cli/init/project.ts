// What `advisories init` can learn from a project before asking: its kind, package, ecosystem, repository.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOsvEcosystem, OSV_ECOSYSTEMS } from '../../core/ecosystems/index.ts';
import type { ProjectKind } from './workflows.ts';

/** The ecosystems `init` names when it asks; any other OSV ecosystem name is accepted too. */
export const COMMON_ECOSYSTEMS = ['npm', 'PyPI', 'Go', 'crates.io', 'RubyGems', 'Maven', 'NuGet', 'Packagist'] as const;

/** The OSV ecosystem name for `name` in any case (pypi → PyPI: scanners match it case-sensitively), or undefined. */
export const canonicalEcosystem = (name: string) => {
  const wanted = name.trim().toLowerCase();
  const found = OSV_ECOSYSTEMS.find((e) => e.toLowerCase() === wanted);
  return found && isOsvEcosystem(found) ? found : undefined;
};

export interface Detected {
  kind: ProjectKind;
  package?: string;
  ecosystem?: string;
  repository?: string;
  branch?: string;
}

const read = (root: string, file: string) => {
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch {
    return undefined;
  }
};

const git = (root: string, ...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** https://github.com/OWNER/REPO from the ways a remote is written (ssh, https, with or without .git). */
export function repositoryUrl(remote: string | undefined): string | undefined {
  const m = remote && /^(?:git@github\.com:|ssh:\/\/git@github\.com\/|https:\/\/(?:[^@/]+@)?github\.com\/)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(remote);
  return m ? `https://github.com/${m[1]}/${m[2]}` : undefined;
}

/** The package a manifest names, first match wins: a project with package.json is a Node project. */
function manifest(root: string): { package?: string; ecosystem?: string } {
  const pkg = read(root, 'package.json');
  if (pkg !== undefined) {
    try {
      const name = (JSON.parse(pkg) as { name?: unknown }).name;
      return { ecosystem: 'npm', ...(typeof name === 'string' ? { package: name } : {}) };
    } catch {
      return { ecosystem: 'npm' };
    }
  }
  const pyproject = read(root, 'pyproject.toml');
  if (pyproject !== undefined) {
    const name = /^\[(?:project|tool\.poetry)\][^[]*?^name\s*=\s*["']([^"']+)["']/ms.exec(pyproject)?.[1];
    return { ecosystem: 'PyPI', ...(name ? { package: name } : {}) };
  }
  const cargo = read(root, 'Cargo.toml');
  if (cargo !== undefined) {
    const name = /^\[package\][^[]*?^name\s*=\s*["']([^"']+)["']/ms.exec(cargo)?.[1];
    return { ecosystem: 'crates.io', ...(name ? { package: name } : {}) };
  }
  const gomod = read(root, 'go.mod');
  if (gomod !== undefined) {
    const name = /^module\s+(\S+)/m.exec(gomod)?.[1];
    return { ecosystem: 'Go', ...(name ? { package: name } : {}) };
  }
  if (existsSync(join(root, 'Gemfile'))) return { ecosystem: 'RubyGems' };
  return {};
}

export function detect(root: string): Detected {
  const repository = repositoryUrl(git(root, 'remote', 'get-url', 'origin'));
  const branch = git(root, 'symbolic-ref', '--short', 'refs/remotes/origin/HEAD')?.replace(/^origin\//, '') ?? git(root, 'branch', '--show-current');
  return {
    kind: existsSync(join(root, 'package.json')) ? 'npm' : 'npx',
    ...manifest(root),
    ...(repository ? { repository } : {}),
    ...(branch ? { branch } : {}),
  };
}

/**
 * An id prefix from the package name: its first run of letters and digits, upper-cased (acme-sdk → ACME);
 * of a Go module path, the repository's name, not its major version suffix (example.com/widget/v2 → WIDGET).
 */
export function prefixFor(pkg: string): string {
  const word = /[A-Za-z][A-Za-z0-9]*/.exec(pkg.replace(/\/v\d+$/, '').split(/[/:]/).pop() ?? pkg)?.[0] ?? 'ADV';
  return word.toUpperCase().slice(0, 8);
}

/** GitHub Pages' address for a repository: https://owner.github.io/repo/. */
export function pagesUrl(repository: string | undefined): string | undefined {
  const m = repository && /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)$/.exec(repository);
  return m ? `https://${m[1]!.toLowerCase()}.github.io/${m[2]}/` : undefined;
}
