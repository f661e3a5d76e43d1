#!/usr/bin/env node
// Runs the compiled CLI when the package was built (npm pack runs `prepack`), else the TypeScript sources
// through tsx. Of the compiled forms, the bundle (scripts/bundle-cli.ts) loads fastest; it is taken only
// while it is newer than the modules it was made from, so a later `tsc` alone never runs stale code.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const compiled = new URL('../lib/cli/main.js', import.meta.url);
const bundled = new URL('../lib/bundle/cli.cjs', import.meta.url);
let mod;
if (existsSync(bundled) && existsSync(compiled) && statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs) {
  mod = createRequire(import.meta.url)(bundled.pathname);
} else if (existsSync(compiled)) {
  mod = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await mod.runCli(process.argv.slice(2));
