// Every per-advisory rule (src/check/rules/<name>.ts) runs its own ok / not-ok fixtures through the real
// checker; below them, what no single rule shows: the schema, cross-file and project rules, the order of
// diagnostics, exit codes.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFile } from '../../src/check/check-file.ts';
import { loadConfig } from '../../src/check/config.ts';
import type { Fixture } from '../../src/check/context.ts';
import { atClock } from '../../src/check/project.ts';
import { RULES } from '../../src/check/rules/index.ts';
import { loadPolicy } from '../../src/check/security-md.ts';
import { advisory, checkJson, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const A = 'advisories/SBX-2026-0001.md';
/** The fixtures' clock (Fixture.now): after the base advisory's `published`. */
const FIXTURE_NOW = '2026-06-01T00:00:00Z';
/** The files in src/check/rules/ that are not rules. */
const HELPERS = ['index.ts', 'semver.ts'];
const RULES_DIR = new URL('../../src/check/rules/', import.meta.url);

/** Writes the fixture over the base advisory into a new project and checks that one file, as `check` does. */
async function checkFixture(fixture: Fixture) {
  const file = fixture.file ? `advisories/${fixture.file}` : A;
  project = tempProject(
    { [file]: advisory('SBX-2026-0001', fixture.fm, fixture.body) },
    { ...(fixture.config === null && { config: null }), ...(fixture.policy !== undefined && { policy: fixture.policy }) },
  );
  if (fixture.config) {
    const base = JSON.parse(project.read('advisories.config.json')) as object;
    project.write('advisories.config.json', JSON.stringify({ ...base, ...fixture.config }));
  }
  const [config, policy] = await Promise.all([loadConfig(project.root), loadPolicy(project.root)]);
  expect([...config.diagnostics, ...policy.diagnostics], 'the fixture’s config and SECURITY.md are valid').toEqual([]);
  const result = checkFile(join(project.root, file), { root: project.root, config: config.config, policy: policy.policy });
  expect(result?.id, `the fixture passes its schema, so the rules run: ${JSON.stringify(result?.diagnostics, null, 2)}`).toBeDefined();
  // As project.ts keeps them at its clock: a rule that holds only while embargoed, only then.
  return atClock(result!, new Date(fixture.now ?? FIXTURE_NOW));
}

describe.each(RULES.map((rule) => [rule.name, rule] as const))('%s', (_, rule) => {
  const ofRule = (diagnostics: Awaited<ReturnType<typeof checkFixture>>) => diagnostics.filter((d) => d.ruleId === rule.id);

  it.each(rule.fixtures.ok.map((f) => [f.title, f] as const))('ok: %s', async (_, fixture) => {
    expect(ofRule(await checkFixture(fixture))).toEqual([]);
  });

  it.each(rule.fixtures.notOk.map((f) => [f.title, f] as const))('not ok: %s', async (_, fixture) => {
    const found = ofRule(await checkFixture(fixture));
    // Each diagnostic as its expectation when it meets it (`line:column`, the fragment in its message), else in full.
    const seen = found.map((d, i) => {
      const full = `${d.line}:${d.column}: ${d.message}`;
      const expected = fixture.expect[i];
      const [, at, fragment = ''] = /^(\d+:\d+)(?:: (.*))?$/s.exec(expected ?? '') ?? [];
      return expected && at === `${d.line}:${d.column}` && d.message.includes(fragment) ? expected : full;
    });
    expect(seen).toEqual(fixture.expect);
  });
});

describe('the rules', () => {
  it('each has at least one ok and one not-ok fixture, and a name of its own', () => {
    for (const rule of RULES) {
      expect(rule.fixtures.ok.length, rule.name).toBeGreaterThan(0);
      expect(rule.fixtures.notOk.length, rule.name).toBeGreaterThan(0);
    }
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });

  it('every file in src/check/rules/ but the helpers is one rule, named after it and listed in RULES', async () => {
    const files = readdirSync(fileURLToPath(RULES_DIR)).filter((f) => f.endsWith('.ts') && !HELPERS.includes(f));
    for (const file of files) {
      const { rule } = (await import(new URL(file, RULES_DIR).href)) as { rule?: (typeof RULES)[number] };
      expect(rule && `${rule.name}.ts`, `${file} exports its rule as \`rule\` (a helper is listed in HELPERS)`).toBe(file);
      expect(RULES, `${file} is listed in RULES`).toContain(rule);
    }
    expect(files.sort()).toEqual(RULES.map((r) => `${r.name}.ts`).sort());
  });

  it('report in the order of RULES, not by place (the reporters sort by place; checkFile does not)', async () => {
    const diagnostics = await checkFixture({
      title: 'most rules at once',
      fm: {
        id: 'ACME-2026-0001',
        title: '"a\\nb"',
        affected: '["nope", ">=1.0.0 <=1.2.0"]',
        patched: '["1.2", 1.2.0]',
        reported: '2026-01-01',
        cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        modified: '2026-03-01T00:00:00Z',
      },
      body: '## Impact\n',
      config: { package: undefined },
    });
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual([
      '2:5 id-format',
      '2:5 id-file-mismatch',
      '2:1 schema-required',
      '3:8 header-unsafe-text',
      '6:12 semver-range-invalid',
      '7:11 semver-version-invalid',
      '7:18 patched-in-affected',
      '11:11 date-order',
      '13:1 body-section-missing',
      '5:11 cvss-severity-mismatch',
      '7:1 supported-line-unpatched',
      '9:12 release-time-exceeded',
    ]);
  });
});

async function run(files: Record<string, string>, options?: Parameters<typeof tempProject>[1]) {
  project = tempProject(files, options);
  return checkJson(project.root);
}

function only(diagnostics: Awaited<ReturnType<typeof run>>['diagnostics'], ruleId: string) {
  const found = diagnostics.filter((d) => d.ruleId === ruleId);
  expect(found, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  return found[0]!;
}

const one = (fields: Record<string, unknown>, body?: string) => ({ [A]: advisory('SBX-2026-0001', fields, body) });

describe('a valid advisory', () => {
  it('passes with exit 0 and no diagnostics', async () => {
    const r = await run(one({}));
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('through the CLI', () => {
  it('an error exits 1, with the JSON diagnostic’s severity, expected and actual', async () => {
    const r = await run(one({ cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }));
    const d = only(r.diagnostics, 'cvss-severity-mismatch');
    expect(d).toMatchObject({ file: A, line: 5, column: 11, severity: 'error', expected: 'critical', actual: 'high' });
    expect(r.code).toBe(1);
  });

  it('warnings alone (unsupported-only, release-time-exceeded) exit 0', async () => {
    const r = await run(one({ affected: '"<0.9.0"', patched: '[]', reported: '2026-01-01' }));
    expect(r.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([
      ['unsupported-only', 'warning'],
      ['release-time-exceeded', 'warning'],
    ]);
    expect(r.code).toBe(0);
  });
});

describe('across files and against the clock', () => {
  it('id-duplicate names the other file', async () => {
    const r = await run({
      [A]: advisory('SBX-2026-0001'),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0001'),
    });
    const d = only(r.diagnostics, 'id-duplicate');
    expect(d).toMatchObject({ file: 'advisories/SBX-2026-0002.md', line: 2, column: 5 });
    expect(d.message).toContain(A);
  });

  it('embargoed: published after --now is valid and reported as embargoed (in a private repository)', async () => {
    const r = await run(one({ published: '2027-01-01T00:00:00Z' }), { config: { package: 'scalebox-sdk', idPrefix: 'SBX', visibility: 'private' } });
    expect(only(r.diagnostics, 'embargoed')).toMatchObject({ file: A, line: 9, column: 12, severity: 'info' });
    expect(r.code).toBe(0);
  });

  it('embargo-clear: the same advisory in a public repository is an error whose fix names `advisories seal`, until its time', async () => {
    const r = await run(one({ reported: '2026-12-30', published: '2027-01-01T00:00:00Z' }));
    const d = only(r.diagnostics, 'embargo-clear');
    expect(d).toMatchObject({ file: A, line: 9, column: 12, severity: 'error' });
    expect(d.hint).toContain(`advisories seal ${A}`);
    expect(r.code).toBe(1);
    const later = await checkJson(project!.root, '2027-01-01T00:00:00Z');
    expect(later.diagnostics).toEqual([]);
    expect(later.code).toBe(0);
  });
});

describe('schema', () => {
  it('schema-unknown-key with a did-you-mean, at the key', async () => {
    const r = await run(one({ severty: 'high' }));
    const d = only(r.diagnostics, 'schema-unknown-key');
    expect(d).toMatchObject({ file: A, line: 10, column: 1 });
    expect(d.message).toContain('did you mean `severity`');
  });

  it('schema-unknown-key in a nested object', async () => {
    const r = await run(one({ credits: '\n  - name: Ann\n    tpye: finder' }));
    expect(only(r.diagnostics, 'schema-unknown-key')).toMatchObject({ line: 12, column: 5 });
  });

  it('schema-required names the missing field', async () => {
    const r = await run(one({ severity: undefined }));
    expect(only(r.diagnostics, 'schema-required').message).toContain('`severity`');
  });

  it('schema-invalid for a wrong enum value, at the value', async () => {
    const r = await run(one({ severity: 'urgent' }));
    expect(only(r.diagnostics, 'schema-invalid')).toMatchObject({ file: A, line: 5, column: 11 });
  });

  it('schema-invalid for a wrong type in a nested list item', async () => {
    const r = await run(one({ references: '\n  - type: fix\n    url: 42' }));
    expect(only(r.diagnostics, 'schema-invalid')).toMatchObject({ line: 12, column: 10 });
  });

  it('schema-invalid for a version YAML read as a number, pointing into the list, with the fix', async () => {
    const r = await run(one({ patched: '[1.2.0, 1.3]' }));
    const d = only(r.diagnostics, 'schema-invalid');
    expect(d).toMatchObject({ line: 7, column: 18 });
    expect(d.message).toContain('put the value in quotes');
  });

  it('schema-invalid for an impossible date', async () => {
    const r = await run(one({ reported: '2026-02-30' }));
    expect(only(r.diagnostics, 'schema-invalid')).toMatchObject({ line: 8, column: 11 });
  });
});

describe('every problem across every file is collected before reporting', () => {
  it('reports problems of several files at once, sorted by file', async () => {
    const r = await run({
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { severity: 'urgent' }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { affected: '"nope"' }),
      'advisories/SBX-2026-0003.md': '---\nid: [unclosed\n---\n',
    });
    expect(r.diagnostics.map((d) => [d.file, d.ruleId])).toEqual([
      ['advisories/SBX-2026-0001.md', 'check-skipped'],
      ['advisories/SBX-2026-0001.md', 'check-skipped'],
      ['advisories/SBX-2026-0001.md', 'schema-invalid'],
      ['advisories/SBX-2026-0002.md', 'semver-range-invalid'],
      ['advisories/SBX-2026-0003.md', 'yaml-syntax'],
    ]);
    expect(r.code).toBe(1);
  });
});

describe('a schema error hides nothing else', () => {
  it('two schema errors and three semver and body errors are reported in one run; what needs a bad field says it was skipped', async () => {
    const r = await run(
      one({ severity: 'urgent', reported: '2026-02-30', affected: '["nope", ">=1.0.0 <1.2.0"]', patched: '["1.2"]' }, '## Impact\n\nBad.\n'),
    );
    const at = (d: (typeof r.diagnostics)[number]) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}`;
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(at)).toEqual([
      '5:11 error schema-invalid',
      '6:12 error semver-range-invalid',
      '7:1 error supported-line-unpatched',
      '7:11 error semver-version-invalid',
      '8:11 error schema-invalid',
      '11:1 error body-section-missing',
    ]);
    const skipped = r.diagnostics.filter((d) => d.ruleId === 'check-skipped');
    expect(skipped.map((d) => d.message)).toContain('`release-time-exceeded` was skipped where it needs `severity`, which is not valid');
    expect(skipped.every((d) => d.file === A && d.severity === 'info')).toBe(true);
    expect(r.code).toBe(1);
  });
});
