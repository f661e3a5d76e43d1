// SECURITY.md files in the shapes real projects write (see README.md here): what each becomes, and
// what is still refused, with the cell and what would be understood.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/check/security-md.ts';

const read = (name: string) => parsePolicy(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
/** [spec as written, supported, range, note] */
type Row = [string, boolean, string, string];
const rows = (name: string) => {
  const { policy, diagnostics } = read(name);
  return { lines: policy.lines.map((l): Row => [l.spec, l.supported, l.range, l.note ?? '']), diagnostics };
};

const EXPECTED: Record<string, Row[]> = {
  'python-sdk.md': [
    ['3.1.x (latest)', true, '>=3.1.0 <3.2.0-0', ''],
    ['3.0.x', true, '>=3.0.0 <3.1.0-0', 'security fixes only, until 2027-06-30'],
    ['2.x', true, '>=2.0.0 <3.0.0-0', ''],
    ['< 2.0', false, '<2.0.0-0', 'End of life'],
  ],
  'status-words.md': [
    ['6.0', true, '>=6.0.0 <6.1.0-0', 'Active'],
    ['5.2 (LTS)', true, '>=5.2.0 <5.3.0-0', 'Security fixes'],
    ['5.1', true, '>=5.1.0 <5.2.0-0', 'Security fixes only'],
    ['5.0', false, '>=5.0.0 <5.1.0-0', 'End of life'],
    ['<= 4.2', false, '<4.3.0-0', 'EOL'],
  ],
  'crate-plus-ranges.md': [
    ['3.0+', true, '>=3.0.0', ''],
    ['>= 2.0, < 3.0', true, '>=2.0.0 <3.0.0-0', 'critical fixes only'],
    ['< 2.0', false, '<2.0.0-0', ''],
  ],
  'go-bullets.md': [
    ['v2.x', true, '>=2.0.0 <3.0.0-0', 'security and bug fixes'],
    ['v1.x', true, '>=1.0.0 <2.0.0-0', 'security fixes only until 2027-01-31'],
    ['v0.x', false, '<1.0.0-0', 'end of life'],
  ],
  'gem-columns.md': [
    ['2.4.x', true, '>=2.4.0 <2.5.0-0', ''],
    ['2.3.x', true, '>=2.3.0 <2.4.0-0', 'Critical fixes only'],
    ['2.2.x', false, '>=2.2.0 <2.3.0-0', 'Deprecated'],
    ['< 2.2', false, '<2.2.0-0', ''],
  ],
  'maven-x-y.md': [
    ['4.x.y', true, '>=4.0.0 <5.0.0-0', ''],
    ['3.9.y', true, '>=3.9.0 <3.10.0-0', 'Critical security issues only; EOL end of 2027'],
    ['< 3.9', false, '<3.9.0-0', ''],
  ],
  'trailing-marks.md': [
    ['v2.4.x', true, '>=2.4.0 <2.5.0-0', 'still supported (latest)'],
    ['v2.0 – v2.3', false, '>=2.0.0 <2.4.0-0', 'no longer supported'],
    ['v1.x', false, '>=1.0.0 <2.0.0-0', 'no longer supported'],
  ],
  'plain-list.md': [
    ['5.x', true, '>=5.0.0 <6.0.0-0', ''],
    ['4.2.x', true, '>=4.2.0 <4.3.0-0', 'LTS'],
  ],
  'npm-maintained.md': [
    ['18.x', true, '>=18.0.0 <19.0.0-0', ''],
    ['17.x', true, '>=17.0.0 <18.0.0-0', 'until 2026-09-30'],
    ['16.x', false, '>=16.0.0 <17.0.0-0', 'ended 2025-04-30'],
    ['15.x and below', false, '<16.0.0-0', ''],
  ],
  'django-style-bullets.md': [
    ['4.2 (current)', true, '>=4.2.0 <4.3.0-0', 'fully supported'],
    ['4.1', true, '>=4.1.0 <4.2.0-0', 'security fixes only, until April 2027'],
    ['3.2 (LTS)', true, '>=3.2.0 <3.3.0-0', 'security fixes until April 2027'],
    ['3.1', false, '>=3.1.0 <3.2.0-0', 'EOL: 2025-04-01'],
    ['older releases', false, '<3.1.0-0', 'end of life, no fixes'],
  ],
  'older-versions-row.md': [
    ['0.9.x', true, '>=0.9.0 <0.10.0-0', ''],
    ['0.8.x', true, '>=0.8.0 <0.9.0-0', 'critical fixes only'],
    ['Older versions', false, '<0.8.0-0', ''],
  ],
};

describe('SECURITY.md in real-world shapes', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} is read without a problem`, () => {
      const { lines, diagnostics } = rows(name);
      expect(diagnostics).toEqual([]);
      expect(lines).toEqual(expected);
    });
  }

  it('says which cell is not understood and what would be', () => {
    const { lines, diagnostics } = rows('not-understood.md');
    expect(lines).toEqual([]);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual([
      '7:1 policy-invalid-row',
      '8:11 policy-invalid-row',
      '9:11 policy-invalid-row',
      '10:11 policy-invalid-row',
    ]);
    const [latest, upgrade, date, contradiction] = diagnostics.map((d) => d.message);
    expect(latest).toContain('`latest` is not a semver range (the "Version" cell); write `3.x`, `3.1.x`, `3.1.x (latest)`, `>= 3.0`, `3.0+`');
    expect(upgrade).toContain('`Please upgrade to 2.x` is neither a yes nor a no mark (the "Supported" cell); write ✅');
    expect(upgrade).toContain('End of life');
    expect(date).toContain('`30/06/2022`');
    expect(contradiction).toContain('`✅ No`');
  });

  it('keeps the plain shapes it always read, with no note', () => {
    const { policy, diagnostics } = parsePolicy('## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 1.x.x | :white_check_mark: |\n| < 1.0 | :x: |\n| 0.9.x | yes |\n| 0.8.x | ✔️ |\n');
    expect(diagnostics).toEqual([]);
    expect(policy.lines).toEqual([
      { spec: '1.x.x', range: '>=1.0.0 <2.0.0-0', supported: true, line: 5 },
      { spec: '< 1.0', range: '<1.0.0-0', supported: false, line: 6 },
      { spec: '0.9.x', range: '>=0.9.0 <0.10.0-0', supported: true, line: 7 },
      { spec: '0.8.x', range: '>=0.8.0 <0.9.0-0', supported: true, line: 8 },
    ]);
  });

  it('a list item that is prose is reported at the item', () => {
    const { policy, diagnostics } = parsePolicy('## Supported Versions\n\n- Active support: the latest minor release\n- 2.x: supported\n');
    expect(policy.lines.map((l) => l.spec)).toEqual(['2.x']);
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([[3, 1]]);
    expect(diagnostics[0]!.message).toContain("`Active support` is not a semver range (the list item’s version cell)");
  });

  it('an `Older versions` row with no other line to be older than is reported at its item', () => {
    const { policy, diagnostics } = parsePolicy('## Supported Versions\n\n- Older versions: not supported\n');
    expect(policy.lines).toEqual([]);
    expect(diagnostics[0]!.message).toContain('`Older versions` is not a semver range');
  });
});
