// Bundles the compiled CLI (lib/, tsc's output) with its pure-JS dependencies into lib/bundle/: a few
// modules to load at start-up instead of about 150 to resolve, read and compile one by one, which took
// about a tenth of a rebuild at 10,000 advisories. Part of `npm run build:ts` and `prepack`.
//
// - Made from lib/. The package ships lib/bundle/ alone (package.json `files`), the one form bin/advisories.js
//   runs outside a checkout; the cache stamp (src/accel/stamp.ts) hashes what is there.
// - lib/bundle/ is two folders below the package root, like every module, so the shipped files
//   (src/core/shipped.ts: templates, schema, package.json, bin/worker.js) are found from it as from lib/;
//   the worker entries are bundled beside cli.cjs, where accel/workers.ts looks for them.
// - The CLI is one CommonJS script (lib/bundle/cli.cjs); the worker entries are ES modules split into chunks.
// - External: native modules, and the packages loaded on first use through require (remark and rehype,
//   ES modules required at run time; the CVSS calculator; pg, only with DATABASE_URL). These alone are the package's
//   runtime dependencies; the libraries inlined here are devDependencies, so an install does not fetch them a second
//   time (the cache stamp hashes the bundle, which holds them: src/accel/stamp.ts).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const EXTERNAL = ['better-sqlite3', 'nodemailer', 'openpgp', 'unified', 'remark-*', 'rehype-*', 'ae-cvss-calculator', 'pg', 'tsx', 'tsx/*'];

/** Writes `lib`/bundle/ from the compiled modules in `lib`. */
export async function bundleCli(lib: string): Promise<void> {
  // Made anew: a chunk or an entry left from an earlier bundle would ship, and count in the cache stamp.
  rmSync(join(lib, 'bundle'), { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node20', external: EXTERNAL, legalComments: 'inline', logLevel: 'warning', metafile: true } as const;
  // The worker entries, as ES modules split into shared chunks (each kind of pool job loaded on first use).
  const workers = await build({
    ...common,
    entryPoints: { 'pool-worker': join(lib, 'accel/pool-worker.js'), 'disk-worker': join(lib, 'accel/disk-worker.js') },
    outdir: join(lib, 'bundle'),
    splitting: true,
    format: 'esm',
    // Dependencies written as CommonJS call require; an ES module has none of its own.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
  // The CLI as one CommonJS script. The commands stay behind their dynamic imports, which esbuild turns
  // into functions run on first use, so `build` still never loads nodemailer, openpgp or SQLite.
  const cli = await build({
    ...common,
    entryPoints: [join(lib, 'cli/main.js')],
    outfile: join(lib, 'bundle/cli.cjs'),
    format: 'cjs',
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "'use strict';\nconst __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  writeFileSync(join(lib, 'bundle', NOTICES), notices([workers.metafile, cli.metafile], lib));
}

/** Beside the bundle: the licences of the packages inlined in it, which an install no longer puts in node_modules. */
export const NOTICES = 'THIRD-PARTY-LICENSES.txt';

/** Every package a module of the bundles came from, with its licence text (its LICENSE file, else its SPDX name). */
function notices(metafiles: Metafile[], lib: string): string {
  const roots = new Set<string>();
  const own = resolve(lib) + sep;
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs).map((path) => resolve(path))) {
      // The tool's own modules (lib/ may itself sit in a node_modules folder, installed) are not a third party's.
      const m = input.startsWith(own) ? null : /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) roots.add(m[1]!);
    }
  }
  const parts = [...roots].map((root) => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const file = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = file ? readFileSync(join(root, file), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
    return { id: `${pkg.name}@${pkg.version}`, text };
  });
  const unique = [...new Map(parts.map((p) => [p.id, p])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const head = 'The bundle in this folder includes the following packages, under their own licences.\n';
  return [head, ...unique.map((p) => `${'='.repeat(72)}\n${p.id}\n\n${p.text}\n`)].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lib = process.argv[2] ?? fileURLToPath(new URL('../lib', import.meta.url));
  await bundleCli(lib);
  console.log(`wrote ${join(lib, 'bundle')}`);
}
