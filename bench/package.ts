// The benchmarks run the tool as users get it: compiled (as `npm pack` ships it), not through tsx.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCli } from '../scripts/bundle-cli.ts';

const REPO = new URL('..', import.meta.url).pathname;

/** Compiles src/ into `dir`/lib (and its bundle, as `npm pack` makes it) beside copies of bin/, templates/ and package.json; returns the CLI path. */
export async function preparePackage(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(dir, 'lib')], { stdio: 'inherit' });
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(dir, 'node_modules'));
  await bundleCli(join(dir, 'lib')); // resolves the dependencies through that node_modules
  for (const part of ['bin', 'templates', 'schema', 'package.json']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  return join(dir, 'bin/advisories.js');
}
