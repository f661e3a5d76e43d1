// Every rule has a failing fixture; each asserts the exact rule id, file, line and column.
import { afterEach, describe, expect, it } from 'vitest';
import { advisory, checkJson, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

async function run(files: Record<string, string>, options?: Parameters<typeof tempProject>[1]) {
  project = tempProject(files, options);
  return checkJson(project.root);
}

function only(diagnostics: Awaited<ReturnType<typeof run>>['diagnostics'], ruleId: string) {
  const found = diagnostics.filter((d) => d.ruleId === ruleId);
  expect(found, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  return found[0]!;
}

const A = 'advisories/SBX-2026-0001.md';
const one = (fields: Record<string, unknown>, body?: string) => ({ [A]: advisory('SBX-2026-0001', fields, body) });

describe('a valid advisory', () => {
  it('passes with exit 0 and no diagnostics', async () => {
    const r = await run(one({}));
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('version rules', () => {
  it('semver-range-invalid points at the bad range inside a list', async () => {
    const r = await run(one({ affected: '[">=1.0.0 <1.1.0", "1.1.x.y"]' }));
    expect(only(r.diagnostics, 'semver-range-invalid')).toMatchObject({ file: A, line: 6, column: 30, severity: 'error' });
    expect(r.code).toBe(1);
  });

  it('semver-version-invalid points at the bad patched version', async () => {
    const r = await run(one({ patched: '["1.2"]' }));
    expect(only(r.diagnostics, 'semver-version-invalid')).toMatchObject({ file: A, line: 7, column: 11 });
  });

  it('patched-in-affected names the version and the range', async () => {
    const r = await run(one({ affected: '">=1.0.0 <=1.2.0"' }));
    const d = only(r.diagnostics, 'patched-in-affected');
    expect(d).toMatchObject({ file: A, line: 7, column: 11 });
    expect(d.message).toContain('1.2.0');
  });

  it('supported-line-unpatched when a supported line gets no fix', async () => {
    const r = await run(one({ affected: '">=0.5.0 <1.2.0"', patched: '[0.9.9]' }));
    const d = only(r.diagnostics, 'supported-line-unpatched');
    expect(d).toMatchObject({ file: A, line: 7, column: 1 });
    expect(d.message).toContain('1.x.x');
  });

  it('unsupported-only is a warning and check still exits 0', async () => {
    const r = await run(one({ affected: '"<0.9.0"', patched: '[]' }));
    expect(only(r.diagnostics, 'unsupported-only')).toMatchObject({ file: A, line: 6, column: 11, severity: 'warning' });
    expect(r.code).toBe(0);
  });
});

describe('severity rules', () => {
  it('cvss-invalid for a vector with an unknown metric value', async () => {
    const r = await run(one({ cvss: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }));
    expect(only(r.diagnostics, 'cvss-invalid')).toMatchObject({ file: A, line: 10, column: 7 });
  });

  it('cvss-invalid for a vector missing base metrics', async () => {
    const r = await run(one({ cvss: 'CVSS:4.0/AV:N/AC:L' }));
    expect(only(r.diagnostics, 'cvss-invalid').message).toContain('base metrics');
  });

  it('cvss-severity-mismatch (3.1): 9.8 is critical, not high', async () => {
    const r = await run(one({ cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }));
    const d = only(r.diagnostics, 'cvss-severity-mismatch');
    expect(d).toMatchObject({ file: A, line: 5, column: 11, expected: 'critical', actual: 'high' });
    expect(d.message).toContain('9.8');
  });

  it('cvss-severity-mismatch (4.0): 6.8 is medium, not high', async () => {
    const r = await run(one({ cvss: 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' }));
    expect(only(r.diagnostics, 'cvss-severity-mismatch')).toMatchObject({ line: 5, column: 11, expected: 'medium' });
  });

  it('a 4.0 vector that agrees passes', async () => {
    const r = await run(one({ cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' }));
    expect(r.diagnostics).toEqual([]);
  });
});

describe('identity rules', () => {
  it('id-file-mismatch points at the id', async () => {
    const r = await run({ [A]: advisory('SBX-2026-0002') });
    const d = only(r.diagnostics, 'id-file-mismatch');
    expect(d).toMatchObject({ file: A, line: 2, column: 5 });
    expect(d.hint).toContain('SBX-2026-0001');
  });

  it('id-duplicate names the other file', async () => {
    const r = await run({
      [A]: advisory('SBX-2026-0001'),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0001'),
    });
    const d = only(r.diagnostics, 'id-duplicate');
    expect(d).toMatchObject({ file: 'advisories/SBX-2026-0002.md', line: 2, column: 5 });
    expect(d.message).toContain(A);
  });

  it('id-format when the id does not use the configured prefix', async () => {
    const r = await run({ 'advisories/ACME-2026-0001.md': advisory('ACME-2026-0001') });
    expect(only(r.diagnostics, 'id-format')).toMatchObject({ file: 'advisories/ACME-2026-0001.md', line: 2, column: 5 });
  });

  it('without a config any PREFIX-YYYY-NNNN id works and the package comes from the advisory', async () => {
    const r = await run({ 'advisories/ACME-2026-12345.md': advisory('ACME-2026-12345', { package: 'acme' }) }, { config: null });
    expect(r.diagnostics).toEqual([]);
  });

  it('without a config an advisory without `package` is told to add it', async () => {
    const r = await run({ [A]: advisory('SBX-2026-0001') }, { config: null });
    expect(only(r.diagnostics, 'schema-required').message).toContain('package');
  });
});

describe('dates and policy', () => {
  it('date-order: published before reported', async () => {
    const r = await run(one({ reported: '2026-03-05' }));
    expect(only(r.diagnostics, 'date-order')).toMatchObject({ file: A, line: 9, column: 12 });
  });

  it('date-order: modified before published', async () => {
    const r = await run(one({ modified: '2026-03-01T00:00:00Z' }));
    expect(only(r.diagnostics, 'date-order')).toMatchObject({ file: A, line: 10, column: 11 });
  });

  it('date-order: withdrawn before published, nested position', async () => {
    const r = await run(one({ withdrawn: '\n  at: 2026-01-01T00:00:00Z\n  reason: mistake' }));
    expect(only(r.diagnostics, 'date-order')).toMatchObject({ file: A, line: 11, column: 7 });
  });

  it('release-time-exceeded is a warning from report to publication', async () => {
    const r = await run(one({ reported: '2026-01-01' }));
    const d = only(r.diagnostics, 'release-time-exceeded');
    expect(d).toMatchObject({ file: A, line: 9, column: 12, severity: 'warning' });
    expect(d.message).toMatch(/within 7 days.*60 days/);
    expect(r.code).toBe(0);
  });

  it('embargoed: published after --now is valid and reported as embargoed', async () => {
    const r = await run(one({ published: '2027-01-01T00:00:00Z' }));
    expect(only(r.diagnostics, 'embargoed')).toMatchObject({ file: A, line: 9, column: 12, severity: 'info' });
    expect(r.code).toBe(0);
  });
});

describe('text that reaches mail headers and the body', () => {
  it('header-unsafe-text: a line break in the title', async () => {
    const r = await run(one({ title: '"Bad\\nBcc: victim@example.com"' }));
    expect(only(r.diagnostics, 'header-unsafe-text')).toMatchObject({ file: A, line: 3, column: 8 });
  });

  it('header-unsafe-text: a control character in the summary', async () => {
    const r = await run(one({ summary: '"bell \\a here"' }));
    expect(only(r.diagnostics, 'header-unsafe-text').message).toContain('control character');
  });

  it('body-section-missing names the section and the body line', async () => {
    const r = await run(one({}, '## Impact\n\nBad.\n'));
    const d = only(r.diagnostics, 'body-section-missing');
    expect(d).toMatchObject({ file: A, line: 11, column: 1 });
    expect(d.message).toContain('Patches');
  });

  it('a `## Patches` line inside a code block does not count as the section', async () => {
    const r = await run(one({}, '## Impact\n\n```md\n## Patches\n```\n'));
    expect(only(r.diagnostics, 'body-section-missing').message).toContain('Patches');
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
      ['advisories/SBX-2026-0001.md', 'schema-invalid'],
      ['advisories/SBX-2026-0002.md', 'semver-range-invalid'],
      ['advisories/SBX-2026-0003.md', 'yaml-syntax'],
    ]);
    expect(r.code).toBe(1);
  });
});
