// `check --staged`, the pre-commit hook: it judges what git's index holds, with SECURITY.md wherever GitHub
// looks for it (.github/, the root, docs/), as `advisories init` accepts it.
import { afterEach, describe, expect, it } from 'vitest';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { advisory, cli, SEED_POLICY, tempProject, type TempProject } from '../helpers/project.ts';

const NOW = '2026-11-25T12:00:00Z';
const CLEAR = 'advisories/SBX-2026-0002.md';

let project: TempProject;
afterEach(() => project?.cleanup());

/** A public project in a git repository, its policy at `policyAt`, one published advisory committed. */
function repo(policyAt: string) {
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), [policyAt]: SEED_POLICY }, { policy: policyAt === 'SECURITY.md' ? undefined : null });
  initRepo(project.root);
  commitAll(project.root, 'init', '2026-11-01T00:00:00Z');
  return project;
}

const staged = (root: string) => cli(['check', '--staged', '--root', root, '--now', NOW, '--format', 'json']);

describe('check --staged', () => {
  it.each(['.github/SECURITY.md', 'SECURITY.md', 'docs/SECURITY.md'])('with the policy in %s: a clean commit passes, a clear embargoed advisory is refused', async (policyAt) => {
    const p = repo(policyAt);
    const clean = await staged(p.root);
    expect(JSON.parse(clean.stdout)).toEqual([]);
    expect(clean.code).toBe(0);

    p.write(CLEAR, advisory('SBX-2026-0002', { reported: '2026-11-20', published: '2026-12-10T12:00:00Z' }));
    git(p.root, 'add', CLEAR);
    const refused = await staged(p.root);
    expect(refused.code).toBe(1);
    expect((JSON.parse(refused.stdout) as { file: string; ruleId: string; severity: string }[]).filter((d) => d.severity === 'error').map((d) => [d.file, d.ruleId])).toEqual([[CLEAR, 'embargo-clear']]);
  });

  it('judges the index, not the working tree: the staged clear embargoed text is refused though the working copy is no longer embargoed', async () => {
    const p = repo('.github/SECURITY.md');
    p.write(CLEAR, advisory('SBX-2026-0002', { reported: '2026-11-20', published: '2026-12-10T12:00:00Z' }));
    git(p.root, 'add', CLEAR);
    p.write(CLEAR, advisory('SBX-2026-0002'));
    expect((await cli(['check', '--root', p.root, '--now', NOW])).code).toBe(0);
    const r = await staged(p.root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('embargo-clear');
  });
});
