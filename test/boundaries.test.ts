// The import-boundary rules (.dependency-cruiser.cjs, run by `npm run lint:imports`) tested on fixture trees:
// every import the layer table allows passes, and each kind of forbidden import is reported under its rule.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../', import.meta.url));
const config = join(repo, '.dependency-cruiser.cjs');
const depcruise = join(repo, 'node_modules/.bin/depcruise');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs depcruise with the project's config on `root`'s src/, as `npm run lint:imports` does (same tsconfig too). */
function run(root: string, outputType: 'json' | 'err-long') {
  const r = spawnSync(depcruise, ['src', '--config', config, '--output-type', outputType], { cwd: root, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

/** The violations, from the JSON report. */
function violations(root: string): Violation[] {
  const out = JSON.parse(run(root, 'json').stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return out.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

function write(root: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** One file per layer, each importing everything the table allows it to. */
const allowed: Record<string, string> = {
  'src/core/model.ts': "import { createHash } from 'node:crypto';\nimport { createRequire } from 'node:module';\nimport { fileURLToPath } from 'node:url';\nimport { join } from 'node:path';\nexport const model = [createHash, createRequire, fileURLToPath, join];\n",
  'src/core/shipped.ts': "import { model } from './model.ts';\nexport const shipped = model;\n",
  'src/check/git/run.ts': "import { model } from '../../core/model.ts';\nexport const git = model;\n",
  'src/check/project.ts': "import { readFileSync } from 'node:fs';\nimport { git } from './git/run.ts';\nexport const project = [readFileSync, git];\n",
  'src/render/index-json.ts': "import { model } from '../core/model.ts';\nexport interface Entry { id: string }\nexport const entries = model;\n",
  'src/publish/site.ts': "import { entries } from '../render/index-json.ts';\nimport { model } from '../core/model.ts';\nexport const site = [entries, model];\n",
  'src/mail/notify.ts': "import { site } from '../publish/site.ts';\nimport { project } from '../check/project.ts';\nimport { entries } from '../render/index-json.ts';\nexport const notify = [site, project, entries];\n",
  'src/state/branch.ts': "import { git } from '../check/git/run.ts';\nimport { notify } from '../mail/notify.ts';\nimport { model } from '../core/model.ts';\nexport const branch = [git, notify, model];\n",
  'src/accel/store.ts': "import { site } from '../publish/site.ts';\nimport { project } from '../check/project.ts';\nimport { entries } from '../render/index-json.ts';\nexport const store = [site, project, entries];\n",
  'src/cli/main.ts': "import { store } from '../accel/store.ts';\nimport { branch } from '../state/branch.ts';\nexport const main = async () => [store, branch, await import('./commands/build.ts')];\n",
  'src/cli/commands/build.ts': "import { store } from '../../accel/store.ts';\nexport const build = store;\n",
  'src/client/app.ts': "import type { Entry } from '../render/index-json.ts';\nimport { model } from '../core/model.ts';\nexport const app = (e: Entry) => [e, model];\n",
};

/** One forbidden import per file, and the violation each must raise. */
const forbidden: { files: Record<string, string>; expected: Violation[] }[] = [
  { files: { 'src/core/up.ts': "import { project } from '../check/project.ts';\nexport const up = project;\n" }, expected: [{ rule: 'core-imports-only-core', from: 'src/core/up.ts', to: 'src/check/project.ts' }] },
  { files: { 'src/core/reads.ts': "import { readFileSync } from 'node:fs';\nexport const reads = readFileSync;\n" }, expected: [{ rule: 'core-no-io', from: 'src/core/reads.ts', to: 'fs' }] },
  { files: { 'src/core/spawns.ts': "import { spawn } from 'node:child_process';\nexport const spawns = spawn;\n" }, expected: [{ rule: 'core-no-io', from: 'src/core/spawns.ts', to: 'child_process' }] },
  { files: { 'src/check/renders.ts': "import { entries } from '../render/index-json.ts';\nexport const renders = entries;\n" }, expected: [{ rule: 'check-imports-only-core', from: 'src/check/renders.ts', to: 'src/render/index-json.ts' }] },
  // A type-only import counts: it still ties render to check.
  { files: { 'src/render/checks.ts': "import type { project } from '../check/project.ts';\nexport type Checks = typeof project;\n" }, expected: [{ rule: 'render-is-pure', from: 'src/render/checks.ts', to: 'src/check/project.ts' }] },
  { files: { 'src/publish/mails.ts': "import { notify } from '../mail/notify.ts';\nexport const mails = notify;\n" }, expected: [{ rule: 'publish-imports-core-render', from: 'src/publish/mails.ts', to: 'src/mail/notify.ts' }] },
  { files: { 'src/list/mails.ts': "import { notify } from '../mail/notify.ts';\nexport const mails = notify;\n" }, expected: [{ rule: 'list-imports-only-core', from: 'src/list/mails.ts', to: 'src/mail/notify.ts' }] },
  { files: { 'src/mail/states.ts': "import { branch } from '../state/branch.ts';\nexport const states = branch;\n" }, expected: [{ rule: 'mail-imports-core-check-render-publish-list', from: 'src/mail/states.ts', to: 'src/state/branch.ts' }] },
  { files: { 'src/state/publishes.ts': "import { site } from '../publish/site.ts';\nexport const publishes = site;\n" }, expected: [{ rule: 'state-imports-core-check-list-mail', from: 'src/state/publishes.ts', to: 'src/publish/site.ts' }] },
  { files: { 'src/state/loads.ts': "import { project } from '../check/project.ts';\nexport const loads = project;\n" }, expected: [{ rule: 'state-uses-check-only-for-git-run', from: 'src/state/loads.ts', to: 'src/check/project.ts' }] },
  { files: { 'src/accel/mails.ts': "import { notify } from '../mail/notify.ts';\nexport const mails = notify;\n" }, expected: [{ rule: 'accel-imports-core-check-render-publish', from: 'src/accel/mails.ts', to: 'src/mail/notify.ts' }] },
  {
    // Every layer's own rule forbids accel too; accel-only-from-cli says why, once for all of them.
    files: { 'src/publish/fast.ts': "export const fast = () => import('../accel/store.ts');\n" },
    expected: [
      { rule: 'accel-only-from-cli', from: 'src/publish/fast.ts', to: 'src/accel/store.ts' },
      { rule: 'publish-imports-core-render', from: 'src/publish/fast.ts', to: 'src/accel/store.ts' },
    ],
  },
  { files: { 'src/client/checks.ts': "import { project } from '../check/project.ts';\nexport const checks = project;\n" }, expected: [{ rule: 'client-imports-core-render', from: 'src/client/checks.ts', to: 'src/check/project.ts' }] },
  { files: { 'src/check/lost.ts': "import { gone } from './gone.ts';\nexport const lost = gone;\n" }, expected: [{ rule: 'src-imports-resolve', from: 'src/check/lost.ts', to: './gone.ts' }] },
  {
    // Within one layer, so only the cycle is wrong; depcruise reports it once, from either end.
    files: {
      'src/render/ping.ts': "import { pong } from './pong.ts';\nexport const ping = () => pong;\n",
      'src/render/pong.ts': "import type { ping } from './ping.ts';\nexport const pong = (p: typeof ping) => p;\n",
    },
    expected: [{ rule: 'no-circular', from: 'src/render/ping.ts', to: 'src/render/pong.ts' }],
  },
];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'advisories-boundaries-'));
  copyFileSync(join(repo, 'tsconfig.json'), join(root, 'tsconfig.json'));
  write(root, allowed);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('import boundaries', () => {
  it('every import the layer table allows passes', () => {
    expect(violations(root)).toEqual([]);
  });

  describe('with one forbidden import of each kind added', () => {
    beforeAll(() => {
      for (const { files } of forbidden) write(root, files);
    });

    it('each is reported under its rule', () => {
      const found = violations(root);
      const expected = forbidden.flatMap((f) => f.expected);
      const cycle = (v: Violation) => v.rule === 'no-circular';
      const key = (v: Violation) => `${v.rule} ${v.from} -> ${v.to}`;
      expect(found.filter((v) => !cycle(v)).map(key).sort()).toEqual(expected.filter((v) => !cycle(v)).map(key).sort());
      // Which end of a cycle depcruise names depends on the order it walks the files in.
      expect(found.filter(cycle).map((v) => [v.from, v.to].sort().join(' '))).toEqual(['src/render/ping.ts src/render/pong.ts']);
    });

    it('the lint fails, naming the rule, the import and why', () => {
      const r = run(root, 'err-long');
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain('error core-imports-only-core: src/core/up.ts → src/check/project.ts');
      expect(r.stdout).toContain('src/core is the domain at the bottom of the pipeline');
    });
  });
});
