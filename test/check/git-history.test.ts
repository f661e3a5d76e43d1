import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProjectWithHistory } from '../../src/check/with-history.ts';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { advisory, checkJson, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';

const projects: TempProject[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The embargoed advisories these tests merge early are in clear text, as a private repository may keep them. */
function repo(files: Record<string, string> = {}): TempProject {
  const p = tempProject(files, { config: { package: 'scalebox-sdk', idPrefix: 'SBX', visibility: 'private' } });
  projects.push(p);
  initRepo(p.root);
  return p;
}
const modifiedOf = async (root: string, id: string, base?: string) =>
  (await loadProjectWithHistory({ root, now: new Date(NOW), ...(base ? { base } : {}) })).advisories.find((a) => a.id === id)?.modified;

describe('dates from git', () => {
  it('`modified` defaults to the last commit that changed the file; other files keep their own dates', async () => {
    const p = repo({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002') });
    commitAll(p.root, 'two advisories', '2026-03-03T09:00:00Z');
    p.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { summary: 'Now with the full impact.' }));
    commitAll(p.root, 'update one', '2026-04-05T06:07:08Z');
    p.write('README.md', 'unrelated');
    commitAll(p.root, 'unrelated change', '2026-05-01T00:00:00Z');
    expect(await modifiedOf(p.root, 'SBX-2026-0001')).toBe('2026-04-05T06:07:08Z');
    expect(await modifiedOf(p.root, 'SBX-2026-0002')).toBe('2026-03-03T09:00:00Z');
  });

  it('an explicit `modified` wins, and a commit before `published` (embargo merged early) leaves `modified` at `published`', async () => {
    const p = repo({
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { modified: '2026-06-01T00:00:00Z' }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { published: '2026-12-01T00:00:00Z' }),
    });
    commitAll(p.root, 'add', '2026-07-01T00:00:00Z');
    expect(await modifiedOf(p.root, 'SBX-2026-0001')).toBe('2026-06-01T00:00:00Z');
    expect(await modifiedOf(p.root, 'SBX-2026-0002')).toBe('2026-12-01T00:00:00Z');
  });

  it('a shallow clone takes no dates from git and says so; outside a repository there is no warning', async () => {
    const p = repo({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') });
    commitAll(p.root, 'first', '2026-03-03T09:00:00Z');
    p.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { summary: 'Changed.' }));
    commitAll(p.root, 'second', '2026-04-04T09:00:00Z');
    const clone = mkdtempSync(join(tmpdir(), 'advisories-shallow-'));
    dirs.push(clone);
    git(tmpdir(), 'clone', '-q', '--depth', '1', `file://${p.root}`, clone);
    const shallow = await checkJson(clone);
    expect(shallow.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'git-shallow', severity: 'warning' }));
    expect(shallow.code).toBe(0);
    expect(await modifiedOf(clone, 'SBX-2026-0001')).toBe('2026-03-02T10:00:00Z');

    const plain = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') });
    projects.push(plain);
    expect((await checkJson(plain.root)).diagnostics.map((d) => d.ruleId)).not.toContain('git-shallow');
    expect(await modifiedOf(plain.root, 'SBX-2026-0001')).toBe('2026-03-02T10:00:00Z');
  });
});

/** main has 0001; `feature` forks, then main merges 0002 and 0003 while feature writes its own 0002. */
function raced() {
  const p = repo({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') });
  commitAll(p.root, 'first advisory', '2026-03-03T09:00:00Z');
  git(p.root, 'checkout', '-q', '-b', 'feature');
  p.write('advisories/SBX-2026-0002.md', advisory('SBX-2026-0002', { title: 'Feature branch advisory', published: '2026-12-20T00:00:00Z' }));
  p.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { summary: 'An edit, not a collision.' }));
  commitAll(p.root, 'feature: 0002', '2026-03-10T09:00:00Z');
  git(p.root, 'checkout', '-q', 'main');
  p.write('advisories/SBX-2026-0002.md', advisory('SBX-2026-0002', { title: 'Merged first' }));
  p.write('advisories/SBX-2026-0003.md', advisory('SBX-2026-0003'));
  commitAll(p.root, 'main: 0002 and 0003', '2026-03-11T09:00:00Z');
  git(p.root, 'checkout', '-q', 'feature');
  return p;
}

describe('id collisions against the base', () => {
  it('fails on the colliding file, at its id line, naming the next free id; an edited existing advisory is fine', async () => {
    const p = raced();
    const r = await checkJson(p.root, NOW);
    expect(r.code).toBe(0); // without --base the branch alone is consistent
    const based = await cli(['check', '--root', p.root, '--format', 'json', '--now', NOW, '--base', 'main']);
    expect(based.code).toBe(1);
    const found = (JSON.parse(based.stdout) as { ruleId: string; file: string; line: number; message: string; hint: string }[]).filter((d) => d.ruleId === 'id-collision-base');
    expect(found).toEqual([expect.objectContaining({ file: 'advisories/SBX-2026-0002.md', line: 2 })]);
    expect(found[0]!.message).toContain('SBX-2026-0002');
    expect(found[0]!.hint).toContain('SBX-2026-0004');
  });

  it('GitHub annotations carry the collision and its fix', async () => {
    const p = raced();
    const r = await cli(['check', '--root', p.root, '--format', 'github', '--now', NOW, '--base', 'main']);
    expect(r.stdout).toMatch(/^::error file=advisories\/SBX-2026-0002\.md,line=2,col=\d+.*title=id-collision-base::.*SBX-2026-0004/m);
  });

  it('no collision once the base holds this very file (e.g. after merging main)', async () => {
    const p = raced();
    git(p.root, 'checkout', '-q', 'main', '--', 'advisories/SBX-2026-0002.md');
    const r = await cli(['check', '--root', p.root, '--format', 'json', '--now', NOW, '--base', 'main']);
    expect(r.stdout).not.toContain('id-collision-base');
  });

  it('`advisories new --base` skips ids merged on the base', async () => {
    const p = raced();
    const r = await cli(['new', '--root', p.root, '--title', 'Another one', '--severity', 'low', '--now', NOW, '--base', 'main']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('advisories/SBX-2026-0004.md');
    expect(p.read('advisories/SBX-2026-0004.md')).toContain('id: SBX-2026-0004');
  });

  it('an unknown base ref is a usage error that says how to fetch it', async () => {
    const p = raced();
    const r = await cli(['check', '--root', p.root, '--now', NOW, '--base', 'origin/nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fetch-depth: 0');
  });
});

describe('review of new advisories', () => {
  it('warns when a new advisory is dated well before its first commit; embargoed and pre-existing ones are not flagged', async () => {
    const p = repo({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { published: '2026-01-01T00:00:00Z', reported: '2026-01-01' }) });
    commitAll(p.root, 'old import', '2026-03-03T09:00:00Z');
    git(p.root, 'checkout', '-q', '-b', 'feature');
    p.write('advisories/SBX-2026-0002.md', advisory('SBX-2026-0002', { published: '2026-02-01T00:00:00Z', reported: '2026-01-30' }));
    p.write('advisories/SBX-2026-0003.md', advisory('SBX-2026-0003', { published: '2026-12-24T00:00:00Z' }));
    commitAll(p.root, 'two new', '2026-03-10T12:00:00Z');
    const r = await cli(['check', '--root', p.root, '--format', 'json', '--now', NOW, '--base', 'main']);
    const flagged = (JSON.parse(r.stdout) as { ruleId: string; file: string; message: string }[]).filter((d) => d.ruleId === 'published-before-commit');
    expect(flagged.map((d) => d.file)).toEqual(['advisories/SBX-2026-0002.md']);
    expect(flagged[0]!.message).toContain('37 days before');
    expect(r.code).toBe(0); // a warning: importing an advisory published elsewhere is legitimate
  });

  it('writes a job summary listing added, changed and embargoed advisories, with untrusted titles escaped', async () => {
    const p = raced();
    p.write('advisories/SBX-2026-0009.md', advisory('SBX-2026-0009', { title: '"<img src=x onerror=alert(1)> | [link](http://evil)"', severity: 'critical' }));
    const out = join(p.root, 'summary.md');
    await cli(['check', '--root', p.root, '--now', NOW, '--base', 'main', '--summary', out]);
    const md = readFileSync(out, 'utf8');
    const row = (id: string) => md.split('\n').find((l) => l.includes(`\`${id}\``)) ?? '';
    expect(row('SBX-2026-0001')).toMatch(/\| changed \| high \| public since 2026-03-02T10:00:00Z \| ✅ \|/);
    expect(row('SBX-2026-0002')).toMatch(/\| added \| high \| 🔒 embargoed until 2026-12-20T00:00:00Z \| ❌ 1 error/);
    expect(row('SBX-2026-0009')).toMatch(/\| added \| critical \| public since/);
    expect(row('SBX-2026-0009')).not.toMatch(/<img|\]\(http/);
    expect(row('SBX-2026-0009').split(/(?<!\\)\|/)).toHaveLength(7);
    expect(md).not.toContain('SBX-2026-0003'); // merged on main, not part of this branch
  });
});
