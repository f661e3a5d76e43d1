// The fence's promise: acceleration changes how fast, never what. Every fixture project and the real
// corpus (bench/corpus/rustsec, 1,184 advisories written by many authors) is checked and built with
// acceleration off (the reference path alone), on with an empty store (workers, scanner), and on again
// with the store the first run filled; every diagnostic and every byte of every output must be the same.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryText, advisoryId, CONFIG } from '../../bench/corpus.ts';
import { cli, NOW, tempProject } from '../helpers/project.ts';
import { allContents } from '../helpers/site.ts';

const REPO = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'accel-equivalence-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** check's report (JSON: every field of every diagnostic; text is a pure function of it) and the built site. */
async function outputs(root: string, name: string, env: NodeJS.ProcessEnv, state: string) {
  const common = ['--root', root, '--now', NOW, '--state', state];
  const json = await cli(['check', ...common, '--format', 'json'], env);
  const out = join(work, name);
  const built = await cli(['build', ...common, '--out', out], env);
  return { json, built: { code: built.code, stderr: built.stderr }, site: built.code === 0 ? allContents(out) : [] };
}

async function compare(root: string, name: string, env: NodeJS.ProcessEnv = {}) {
  const reference = await outputs(root, `${name}-off`, { ...env, ADVISORIES_ACCEL: '0' }, join(work, `${name}-state-off`));
  const cold = await outputs(root, `${name}-on`, env, join(work, `${name}-state`));
  // Warm: the store filled, and the site rebuilt over the one the cold run made (its files linked).
  const warm = await outputs(root, `${name}-on`, env, join(work, `${name}-state`));
  for (const run of [cold, warm]) {
    expect(run.json).toEqual(reference.json);
    expect(run.built).toEqual(reference.built);
    expect(run.site.length).toBe(reference.site.length);
    run.site.forEach(([path, bytes], i) => {
      expect(path).toBe(reference.site[i]![0]);
      expect(bytes.equals(reference.site[i]![1]), path).toBe(true);
    });
  }
  return reference;
}

describe('acceleration on and off', () => {
  it('gives the same reports and the same site, byte for byte, on the real RustSec corpus', async () => {
    const root = join(work, 'rustsec');
    cpSync(join(REPO, 'bench/corpus/rustsec'), root, { recursive: true });
    const reference = await compare(root, 'rustsec');
    expect(reference.built.code).toBe(0);
    // Every advisory made it into the site: a page and an OSV record each.
    expect(reference.site.filter(([path]) => /^osv\/RUSTSEC-.*\.json$/.test(path))).toHaveLength(1184);
  }, 300_000);

  it("gives the same on the repo's own advisories", async () => {
    // With the demo key, so its sealed SBX-2026-0007 is opened, on every run, outside the store.
    const reference = await compare(REPO, 'repo', { ADVISORIES_AGE_IDENTITY_FILE: join(REPO, 'examples/demo-age-key.txt') });
    expect(reference.built.code).toBe(0);
  }, 120_000);

  it('gives the same on a project with errors in many files, and on the generated corpus', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`advisories/${advisoryId(i)}.md`] = advisoryText(i);
    // Problems planted in a few, so reports are not empty and the build is refused the same way.
    files[`advisories/${advisoryId(3)}.md`] = advisoryText(3).replace('\nseverity:', '\nseverty:');
    files[`advisories/${advisoryId(7)}.md`] = advisoryText(7).replace('## Patches', '## Fixes');
    const broken = tempProject(files, { config: { package: 'scalebox-sdk', idPrefix: 'SBX' } });
    const withErrors = await compare(broken.root, 'broken');
    expect(withErrors.built.code).toBe(1);
    expect(JSON.parse(withErrors.json.stdout).length).toBeGreaterThan(1);
    broken.cleanup();

    delete files[`advisories/${advisoryId(3)}.md`];
    delete files[`advisories/${advisoryId(7)}.md`];
    const clean = tempProject(files, { config: CONFIG });
    expect((await compare(clean.root, 'generated')).built.code).toBe(0);
    clean.cleanup();
  }, 300_000);
});
