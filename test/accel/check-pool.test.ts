// Checking on worker threads must be invisible: the same diagnostics (file:line:col, rule, message)
// and the same model as checking everything on the main thread.
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryId, advisoryText } from '../../bench/corpus.ts';
import { acceleratedChecker } from '../../src/accel/checker.ts';
import { loadProject } from '../../src/check/project.ts';
import { NOW, tempProject } from '../helpers/project.ts';

// Every tenth file carries one planted problem, so each kind lands in chunks handled by different threads.
const PLANTS: [string, (text: string, i: number) => string][] = [
  ['schema-unknown-key', (t) => t.replace('\nseverity:', '\nseverty:')],
  ['yaml-syntax', (t) => t.replace('\ncwe: [', '\ncwe: [[')],
  ['body-section-missing', (t) => t.replace('## Patches', '## Fixes')],
  ['id-duplicate', (t, i) => t.replace(`id: ${advisoryId(i)}`, `id: ${advisoryId(i - 1)}`)],
  ['semver-range-invalid', (t) => t.replace('affected: ">=1.0.0', 'affected: ">=1.0.0.0')],
  ['embargoed', (t) => t.replace(/\npublished: \S+/, '\npublished: 2027-06-01T00:00:00Z').replace(/\nmodified: \S+/, '')],
  // Any later `---` line would close the frontmatter (remark-frontmatter's rule), the code block's included.
  ['frontmatter-unclosed', (t) => t.replaceAll('\n---\n', '\n')],
  ['cvss-severity-mismatch', (t) => t.replace(/\nseverity: \w+/, '\nseverity: low').replace(/\ncvss: \S+/, '\ncvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')],
];
const N = 120;
const files: Record<string, string | Buffer> = {};
for (let i = 0; i < N; i++) {
  const plant = i % 10 < PLANTS.length && i % 3 === 0 ? PLANTS[i % 10]! : undefined;
  files[`advisories/${advisoryId(i)}.md`] = plant ? plant[1](advisoryText(i), i) : advisoryText(i);
}
files['advisories/SBX-2026-99998.md'] = Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01]);
files['advisories/SBX-2026-99999.md'] = '';
const project = tempProject(files, { config: { package: 'scalebox-sdk', idPrefix: 'SBX' } });
afterAll(() => project.cleanup());

describe('check on worker threads', () => {
  it('reports exactly what the reference check reports, in the same order, with the same model', async () => {
    const now = new Date(NOW);
    // The reference: each file in turn, the full Markdown parse for every body.
    const single = await loadProject({ root: project.root, now });
    // Two workers and no share for the main thread, the heading scanner, no cache.
    const threaded = await loadProject({ root: project.root, now, checker: acceleratedChecker(undefined, { workers: 2, mainThread: false }) });

    const rules = new Set(single.diagnostics.map((d) => d.ruleId));
    for (const [rule] of PLANTS) expect(rules, rule).toContain(rule);
    expect(rules).toContain('file-binary');
    expect(rules).toContain('file-empty');
    expect(single.advisories.length).toBeGreaterThan(N / 2);

    expect(threaded.diagnostics).toEqual(single.diagnostics);
    expect(threaded.advisories).toEqual(single.advisories);
    expect(threaded.ok).toBe(false);
  });
});
