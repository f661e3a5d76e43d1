#!/usr/bin/env node
// Runs the compiled CLI when the package was built (npm pack runs `prepack`), else the TypeScript sources
// through tsx. Of the compiled forms, the bundle (scripts/bundle-cli.ts) loads fastest; it is taken only
// while it is newer than the modules it was made from, so a later `tsc` alone never runs stale code.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

/**
 * The bundle, compiled with the V8 code cache kept beside it: compiling it afresh took about 60 ms of
 * every run. One cache per command, since each holds the functions its first run compiled (a build's are
 * not `--help`'s). The first run of a command, or the first after Node changed (V8 then rejects the cache),
 * writes it as it exits; where the package folder is read-only there is none, and nothing else changes.
 * The cache is as trusted as the bundle: it sits in the same folder.
 */
function loadBundle(file, command) {
  const cacheFile = `${file}.${/^[a-z]+$/.test(command ?? '') ? command : 'cli'}.v8-cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // read-only: no cache, as before
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

const compiled = new URL('../lib/cli/main.js', import.meta.url);
const bundled = new URL('../lib/bundle/cli.cjs', import.meta.url);
let mod;
if (existsSync(bundled) && existsSync(compiled) && statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs) {
  mod = loadBundle(fileURLToPath(bundled), process.argv[2]);
} else if (existsSync(compiled)) {
  mod = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await mod.runCli(process.argv.slice(2));
