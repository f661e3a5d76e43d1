#!/usr/bin/env node
// In a checkout of the tool (src/ is there), runs the TypeScript sources through tsx, so what runs is always what
// was edited. An installed package ships one form of the code, the bundle (lib/bundle/, made by `npm pack` or a
// git install through the `prepare` script: scripts/bundle-cli.ts), and runs that.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const bundled = new URL('../lib/bundle/cli.cjs', import.meta.url);
let mod;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(sources.href);
} else if (existsSync(bundled)) {
  mod = createRequire(import.meta.url)(bundled.pathname);
} else {
  process.stderr.write('advisories: this copy of the package has no lib/bundle/cli.cjs; reinstall it (npm pack and git installs build it).\n');
  process.exit(70);
}
process.exitCode = await mod.runCli(process.argv.slice(2));
