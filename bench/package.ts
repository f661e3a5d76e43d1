// The benchmarks run the tool as users get it: compiled (as `npm pack` ships it), not through tsx.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const REPO = new URL('..', import.meta.url).pathname;

/** Compiles src/ into `dir`/lib beside copies of bin/, templates/ and package.json; returns the CLI path. */
export function preparePackage(dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(dir, 'lib')], { stdio: 'inherit' });
  for (const part of ['bin', 'templates', 'schema', 'package.json']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(dir, 'node_modules'));
  return join(dir, 'bin/advisories.js');
}
