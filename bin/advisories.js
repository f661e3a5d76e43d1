#!/usr/bin/env node
// Runs the compiled CLI when the package was built (npm pack runs `prepack`), else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../lib/cli/main.js', import.meta.url);
let mod;
if (existsSync(compiled)) {
  mod = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await mod.runCli(process.argv.slice(2));
