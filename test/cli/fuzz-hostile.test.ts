// Hostile YAML, Markdown and file types never reach exit 70: check and build answer 0, 1 or 2, with
// diagnostics, and the good advisory beside them is always checked clean. FUZZ_RUNS=500 (or more) runs
// the longer mode by hand; `npm test` runs a few dozen cases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { advisory, checkJson, cli, NOW, tempProject } from '../helpers/project.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const project = tempProject({});
afterAll(() => project.cleanup());
const dir = join(project.root, 'advisories');
const GOOD = 'advisories/SBX-2026-0001.md';

// --- YAML: alias expansion, nesting, tags, odd keys, and arbitrary values under the real field names.
const aliasBomb = fc.record({ levels: fc.integer({ min: 2, max: 10 }), width: fc.integer({ min: 2, max: 12 }) }).map(({ levels, width }) => {
  const lines = [`a0: &a0 [${Array(width).fill('x').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
});
const deepFlow = fc.integer({ min: 1, max: 3000 }).map((n) => `title: ${'['.repeat(n)}${']'.repeat(n)}`);
const deepBlock = fc.integer({ min: 1, max: 200 }).map((n) => `credits:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- `).join('\n')}x`);
const yamlOddities = fc.constantFrom(
  '%YAML 1.1\n---', 'title: !!binary aGk=', 'title: !!js/function "f() {}"', '__proto__: {polluted: true}', 'constructor: x',
  '<<: {title: merged}', '? [complex, key]\n: v', 'title: *undefined', 'title: &a\n  - *a', 'affected: 1e400', 'reported: 2026-13-45',
  'published: 99999-01-01T00:00:00Z', 'title: "\\u202Eexe.png"', 'summary: "a\\r\\nBcc: x"', 'id: SBX-2026-0003\nid: SBX-2026-0004', '\t- tab',
  'credits: [{name: x, contact: ["javascript:alert(1)"]}]', 'references: ["data:text/html,<script>"]', 'severity: [high]',
);
const fields = ['id', 'title', 'summary', 'severity', 'cvss', 'package', 'affected', 'patched', 'aliases', 'cwe', 'credits', 'references', 'reported', 'published', 'modified', 'withdrawn'];
const randomFields = fc.dictionary(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }).map((o) => stringify(o));
const frontmatter = fc.array(fc.oneof(aliasBomb, deepFlow, deepBlock, yamlOddities, randomFields), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('\n'));

// --- Markdown: deep containers, long delimiter runs, raw HTML, tables, unclosed constructs, invisible text.
const repeat = (unit: string, max: number) => fc.integer({ min: 1, max }).map((n) => unit.repeat(n));
const markdownPiece = fc.oneof(
  repeat('>', 60).map((q) => `${q} quoted`),
  fc.integer({ min: 1, max: 40 }).map((n) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')),
  repeat('*', 400).map((s) => `${s}x${s}`),
  repeat('[', 400).map((s) => `${s}x${']'.repeat(s.length)}(javascript:alert(1))`),
  repeat('<div>', 200),
  fc.constantFrom('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<!-- unclosed', '```\nunclosed fence', '[a]: javascript:alert(1)\n\n[x][a]', '| a | b |\n| - |\n| 1 | 2 | 3 |', '\u202Egnp.exe', '&#0; &#xD800; &nbsp;', '## Impact', '## Patches', 'TODO'),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);
const markdown = fc.array(markdownPiece, { maxLength: 6 }).map((pieces) => pieces.join('\n\n'));

// --- Files: what can stand in advisories/ besides a text file.
type Special = 'fifo' | 'empty' | 'huge' | 'binary' | 'latin1' | 'loop' | 'dangling' | 'outside' | 'folder';
const special = fc.constantFrom<Special>('fifo', 'empty', 'huge', 'binary', 'latin1', 'loop', 'dangling', 'outside', 'folder');

type Entry = { kind: 'yaml'; text: string } | { kind: 'markdown'; text: string } | { kind: 'special'; what: Special };
const entry: fc.Arbitrary<Entry> = fc.oneof(
  frontmatter.map((text) => ({ kind: 'yaml' as const, text })),
  markdown.map((text) => ({ kind: 'markdown' as const, text })),
  special.map((what) => ({ kind: 'special' as const, what })),
);

function place(name: string, e: Entry) {
  const path = join(dir, name);
  if (e.kind === 'yaml') return writeFileSync(path, `---\n${e.text}\n---\n\n## Impact\n\nx\n\n## Patches\n\ny\n`);
  // A valid frontmatter, so the hostile body reaches the renderer too when it passes check.
  if (e.kind === 'markdown') return writeFileSync(path, advisory(name.slice(0, -3), {}, `## Impact\n\n${e.text}\n\n## Patches\n\nUpgrade.\n`));
  switch (e.what) {
    case 'fifo':
      return void spawnSync('mkfifo', [path]);
    case 'empty':
      return writeFileSync(path, '');
    case 'huge':
      return writeFileSync(path, Buffer.alloc(1024 * 1024 + 1, 0x61));
    case 'binary':
      return writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    case 'latin1':
      return writeFileSync(path, Buffer.from(advisory(name.slice(0, -3), { title: 'caf\u00e9' }), 'latin1'));
    case 'loop':
      return symlinkSync(name, path);
    case 'dangling':
      return symlinkSync('missing.md', path);
    case 'outside':
      return symlinkSync('/dev/zero', path);
    case 'folder':
      return mkdirSync(path);
  }
}

function reset(entries: Entry[]) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(project.root, GOOD), advisory('SBX-2026-0001'));
  entries.forEach((e, i) => place(`SBX-2026-${String(i + 2).padStart(4, '0')}.md`, e));
}

describe('hostile input never reaches exit 70', () => {
  it('check and build answer 0, 1 or 2 with diagnostics, and the good advisory stays clean', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 3 }), async (entries) => {
        reset(entries);
        const check = await checkJson(project.root);
        expect(check.stderr).not.toContain('internal error');
        expect([0, 1]).toContain(check.code);
        expect(check.diagnostics.filter((d) => d.file === GOOD)).toEqual([]);
        for (const d of check.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
        // A limit is named as one (yaml-limit, markdown-limit), never passed on as the engine's own words.
        for (const d of check.diagnostics) expect(d.message).not.toMatch(/call stack|RangeError|RESOURCE_EXHAUSTION/);
        // With errors, build only repeats the check and refuses; it renders the hostile body when there are none.
        if (check.code !== 0) return;
        const build = await cli(['build', '--root', project.root, '--out', join(project.root, 'site'), '--now', NOW, '--no-accel']);
        expect(build.stderr).not.toContain('internal error');
        expect([0, 1]).toContain(build.code);
      }),
      { numRuns: RUNS },
    );
  });
});
