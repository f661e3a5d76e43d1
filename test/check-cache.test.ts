// The check cache makes a rerun fast and never changes its answer: same diagnostics, same model,
// embargoes re-decided by the clock of each run, damaged entries ignored.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../src/project/load-project.ts';
import { advisory, tempProject, type TempProject } from './helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const files = () => ({
  'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'),
  'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { severity: 'urgent' }),
  'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', { reported: '2026-11-20', published: '2026-12-01T00:00:00Z' }),
  'advisories/SBX-2026-0004.md': advisory('SBX-2026-0001'),
});

async function run(now: string) {
  const root = project!.root;
  const cached = await loadProject({ root, now: new Date(now), cacheDir: join(root, '.advisories-state') });
  const plain = await loadProject({ root, now: new Date(now) });
  return { cached, plain };
}

describe('the check cache', () => {
  it('a second run takes every file from the cache and answers exactly as a run without it', async () => {
    project = tempProject(files());
    const first = await run('2026-11-25T00:00:00Z');
    expect(first.cached.stats.cache).toMatchObject({ hits: 0, misses: 4 });
    const second = await run('2026-11-25T00:00:00Z');
    expect(second.cached.stats.cache).toMatchObject({ hits: 4, misses: 0, corrupt: 0 });
    expect(second.cached.diagnostics).toEqual(second.plain.diagnostics);
    expect(second.cached.advisories).toEqual(second.plain.advisories);
    expect(second.cached.diagnostics.map((d) => d.ruleId).sort()).toEqual(['embargoed', 'id-duplicate', 'id-file-mismatch', 'release-time-exceeded', 'schema-invalid']);
  });

  it('re-decides the embargo with each run\'s clock, both ways', async () => {
    project = tempProject(files());
    await run('2026-11-25T00:00:00Z');
    const after = await run('2026-12-02T00:00:00Z');
    expect(after.cached.stats.cache?.hits).toBe(4);
    expect(after.cached.diagnostics).toEqual(after.plain.diagnostics);
    expect(after.cached.advisories.find((a) => a.id === 'SBX-2026-0003')?.embargoed).toBe(false);
    const before = await run('2026-11-26T00:00:00Z');
    expect(before.cached.diagnostics).toEqual(before.plain.diagnostics);
    expect(before.cached.advisories.find((a) => a.id === 'SBX-2026-0003')?.embargoed).toBe(true);
  });

  it('re-checks a changed file, and everything when the policy changes', async () => {
    project = tempProject(files());
    await run('2026-11-25T00:00:00Z');
    project.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { affected: '"nope"' }));
    const changed = await run('2026-11-25T00:00:00Z');
    expect(changed.cached.stats.cache).toMatchObject({ hits: 3, misses: 1 });
    expect(changed.cached.diagnostics).toEqual(changed.plain.diagnostics);
    project.write('SECURITY.md', project.read('SECURITY.md').replace('| 1.x.x   | :white_check_mark: |', '| 1.x.x   | :x: |'));
    const policy = await run('2026-11-25T00:00:00Z');
    expect(policy.cached.stats.cache).toMatchObject({ hits: 0, misses: 4 });
    expect(policy.cached.diagnostics).toEqual(policy.plain.diagnostics);
  });

  it('appends what changed instead of rewriting, and compacts once half the entries are stale', async () => {
    project = tempProject(files());
    await run('2026-11-25T00:00:00Z');
    const path = join(project.root, '.advisories-state/cache/check.jsonl');
    const original = readFileSync(path, 'utf8');
    project.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { title: 'Edited' }));
    const edited = await run('2026-11-25T00:00:00Z');
    expect(edited.cached.diagnostics).toEqual(edited.plain.diagnostics);
    const appended = readFileSync(path, 'utf8');
    expect(appended.startsWith(original)).toBe(true);
    expect(appended.slice(original.length).trim().split('\n')).toHaveLength(1);
    // A torn last line (a crash mid-append) costs that entry only.
    writeFileSync(path, appended.slice(0, -40));
    const torn = await run('2026-11-25T00:00:00Z');
    expect(torn.cached.stats.cache).toMatchObject({ hits: 3, misses: 1 });
    expect(torn.cached.advisories).toEqual(torn.plain.advisories);
    expect((await run('2026-11-25T00:00:00Z')).cached.stats.cache).toMatchObject({ hits: 4, misses: 0 });
    // Many edits later the file holds each live entry once more, not every version ever written.
    for (let i = 0; i < 80; i++) {
      project.write('advisories/SBX-2026-0001.md', advisory('SBX-2026-0001', { title: `Edit ${i}` }));
      await loadProject({ root: project.root, now: new Date('2026-11-25T00:00:00Z'), cacheDir: join(project.root, '.advisories-state') });
    }
    expect(readFileSync(path, 'utf8').trim().split('\n').length).toBeLessThanOrEqual(1 + 2 * 4 + 64 + 1);
  });

  it('keeps the parsed policy, and ignores a damaged or outdated copy of it', async () => {
    project = tempProject(files());
    await run('2026-11-25T00:00:00Z');
    const path = join(project.root, '.advisories-state/cache/policy.json');
    const stored = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...stored, result: { policy: { lines: [], timelines: [] }, diagnostics: [] }, key: 'f'.repeat(64) }));
    const outdated = await run('2026-11-25T00:00:00Z');
    expect(outdated.cached.policy).toEqual(outdated.plain.policy);
    expect(outdated.cached.policy.lines.length).toBeGreaterThan(0);
    writeFileSync(path, '{"key":');
    const damaged = await run('2026-11-25T00:00:00Z');
    expect(damaged.cached.policy).toEqual(damaged.plain.policy);
    expect(damaged.cached.diagnostics).toEqual(damaged.plain.diagnostics);
  });

  it('ignores tampered and truncated entries and answers as without a cache', async () => {
    project = tempProject(files());
    await run('2026-11-25T00:00:00Z');
    const path = join(project.root, '.advisories-state/cache/check.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('Problem in', '<script>alert(1)</script>');
    lines[2] = lines[2]!.slice(0, 80);
    writeFileSync(path, lines.join('\n'));
    const again = await run('2026-11-25T00:00:00Z');
    expect(again.cached.stats.cache).toMatchObject({ hits: 2, misses: 2, corrupt: 2 });
    expect(again.cached.diagnostics).toEqual(again.plain.diagnostics);
    expect(again.cached.advisories).toEqual(again.plain.advisories);
    expect(JSON.stringify(again.cached.advisories)).not.toContain('<script>');
  });

  it('gives models that spread, serialise, clone and change like checked ones, their bulky parts parsed when read', async () => {
    project = tempProject(files());
    await run('2026-11-25T00:00:00Z');
    const { cached, plain } = await run('2026-11-25T00:00:00Z');
    const model = cached.advisories.find((a) => a.id === 'SBX-2026-0001')!;
    const expected = plain.advisories.find((a) => a.id === 'SBX-2026-0001')!;
    // Still text in the cache's line: the body is an accessor until someone reads it.
    expect(Object.getOwnPropertyDescriptor(model, 'body')?.get).toBeTypeOf('function');
    expect({ ...model }).toEqual(expected);
    expect(JSON.parse(JSON.stringify(model))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(structuredClone(model)).toEqual(expected);
    expect(model.lines).toEqual(expected.lines);
    model.body = 'Rewritten.';
    expect({ ...model, body: expected.body }).toEqual(expected);
    expect(model.body).toBe('Rewritten.');
  });
});
