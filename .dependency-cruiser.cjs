// Import boundaries of src/, checked by `npm run lint:imports` (part of `npm test`).
//
// The layers of src/, in pipeline order, bottom to top, and what each may import:
//   core     domain, no I/O                      core; of Node's built-ins only crypto, module, url, path
//   check    readers, parsing, rules, git        core
//   render   pure rendering                      core
//   publish  writing the site, archive           core, render
//   list     subscribers and ledger store        core
//   mail     notify, transport, ledger           core, check, render, publish, list
//   state    the state branch                    core, check (only check/git/run.ts), list, mail
//   accel    store, workers, scanner             core, check, render, publish; imported by cli only
//   cli      commands and reports                everything
//   client   the site's browser code             core, render
// and no circular imports anywhere (src, bin, scripts, bench and test are cruised). Type-only imports count.
//
// Paths are relative to the directory depcruise runs in (the repository root), so test/boundaries.test.ts
// runs this same file on fixture trees of its own.

/** A path under src/ outside the given layers: `outside('core', 'check')` matches src/render/x.ts. */
const outside = (...layers) => `^src/(?!(?:${layers.join('|')})/)`;

/** Layer `from` may import only from the layers listed (its own included). */
const layer = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: outside(from, ...allowed) },
});

module.exports = {
  forbidden: [
    layer('core-imports-only-core', 'core', [], 'src/core is the domain at the bottom of the pipeline: it imports nothing outside core/.'),
    {
      name: 'core-no-io',
      comment:
        'src/core does no I/O: of the Node built-ins it may use only crypto, module (createRequire), url and path ' +
        '(shipped.ts computes a path, it does not read it). Do the I/O in check, publish, mail or state.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], pathNot: '^(?:node:)?(?:crypto|module|url|path)$' },
    },
    layer('check-imports-only-core', 'check', ['core'], 'src/check reads and checks; it may import core only.'),
    layer('render-is-pure', 'render', ['core'], 'src/render is pure rendering; it may import core only (not check, publish, mail, ...).'),
    layer('publish-imports-core-render', 'publish', ['core', 'render'], 'src/publish writes the site; it may import core and render only.'),
    layer('list-imports-only-core', 'list', ['core'], 'src/list is the subscriber and ledger store; it may import core only.'),
    layer('mail-imports-core-check-render-publish-list', 'mail', ['core', 'check', 'render', 'publish', 'list'], 'src/mail may import core, check, render, publish and list only.'),
    layer('state-imports-core-check-list-mail', 'state', ['core', 'check', 'list', 'mail'], 'src/state may import core, check (git/run.ts), list and mail only.'),
    {
      name: 'state-uses-check-only-for-git-run',
      comment: 'Of src/check, src/state uses only check/git/run.ts (to run git on the state branch).',
      severity: 'error',
      from: { path: '^src/state/' },
      to: { path: '^src/check/', pathNot: '^src/check/git/run\\.ts$' },
    },
    layer('accel-imports-core-check-render-publish', 'accel', ['core', 'check', 'render', 'publish'], 'src/accel may import core, check, render and publish only.'),
    {
      name: 'accel-only-from-cli',
      comment: 'src/accel is fenced: every speed mechanism is switched on by the CLI, so nothing but src/cli imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(?:cli|accel)/' },
      to: { path: '^src/accel/' },
    },
    layer('client-imports-core-render', 'client', ['core', 'render'], "src/client is the site's browser code; it may import core and render only."),
    {
      name: 'no-circular',
      comment: 'No circular imports anywhere, type-only imports included. Break the cycle by moving the shared part down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      // Not a boundary itself, but what keeps the rules above honest: an import that does not resolve to a file
      // has no path under src/ to match, so a broken resolver setup would otherwise pass everything.
      name: 'src-imports-resolve',
      comment: 'This import from src/ could not be resolved to a file, so the boundary rules cannot judge it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports count too (`import type`, `typeof import(...)`): they still tie one layer to another.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      // Sources import each other with explicit .ts extensions; npm packages resolve to .js/.cjs/.mjs/.d.ts.
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
