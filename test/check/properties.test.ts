// Property tests: check never throws, whatever the bytes; the semver rules agree with `semver` itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { isAffected } from '../../src/core/affected.ts';
import { loadProject } from '../../src/check/project.ts';
import { advisory, NOW, tempProject } from '../helpers/project.ts';

const project = tempProject({});
afterAll(() => project.cleanup());
const file = join(project.root, 'advisories', 'SBX-2026-0001.md');
const now = new Date(NOW);

async function checkBytes(bytes: Uint8Array | string) {
  writeFileSync(file, bytes);
  return loadProject({ root: project.root, now });
}

const fragments = fc.constantFrom(
  '---\n', '---', 'id: SBX-2026-0001\n', 'title: ', 'affected: ', 'patched: [', ']', '"', "'", ':', '- ', '  ', '\n',
  '\r\n', '\uFEFF', '#', '## Impact\n', '```\n', '{', '}', '&a', '*a', '!!binary', '>=1.0.0 <1.2', '\u0000', 'é', '\t',
);

describe('check never throws', () => {
  it('on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const p = await checkBytes(bytes);
        for (const d of p.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on near-miss frontmatter built from YAML and Markdown fragments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 40 }), async (parts) => {
        const p = await checkBytes(parts.join(''));
        expect(p.diagnostics.every((d) => d.file.startsWith('advisories/') || d.file === 'SECURITY.md')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('on any valid advisory with arbitrary title text: either clean or a named rule, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (title) => {
        const p = await checkBytes(advisory('SBX-2026-0001', { title: JSON.stringify(title) }));
        for (const d of p.diagnostics) expect(d.ruleId).toMatch(/^[a-z-]+$/);
      }),
      { numRuns: 100 },
    );
  });
});

const version = fc.tuple(fc.nat(3), fc.nat(5), fc.nat(5)).map(([a, b, c]) => `${a}.${b}.${c}`);
const comparator = fc.tuple(fc.constantFrom('<', '<=', '>', '>=', '=', '^', '~', ''), version).map(([op, v]) => `${op}${v}`);
const range = fc.oneof(
  fc.array(comparator, { minLength: 1, maxLength: 2 }).map((cs) => cs.join(' ')),
  fc.tuple(version, version).map(([a, b]) => `${a} - ${b}`),
  fc.constantFrom('1.x', '0.x', '*', '1.2.x', '>=1.0.0 <2.0.0-0', 'banana', '1.2.3.4', '>=', '~>1.2'),
);

describe('the semver rules agree with semver', () => {
  it('range validity, and whether a patched version is inside the affected range', async () => {
    await fc.assert(
      fc.asyncProperty(range, version, async (affected, patched) => {
        const p = await checkBytes(advisory('SBX-2026-0001', { affected: JSON.stringify(affected), patched: `["${patched}"]` }));
        const rules = new Set(p.diagnostics.map((d) => d.ruleId));
        const valid = semver.validRange(affected) !== null;
        expect(rules.has('semver-range-invalid')).toBe(!valid);
        if (valid) {
          expect(rules.has('patched-in-affected')).toBe(semver.satisfies(patched, affected, { includePrerelease: true }));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('"am I affected?" agrees with semver.satisfies', () => {
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 3 }), version, (ranges, v) => {
        const expected = ranges.some((r) => semver.validRange(r) !== null && semver.satisfies(v, r, { includePrerelease: true }));
        expect(isAffected({ id: 'X', affected: ranges, patched: [] }, v)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

