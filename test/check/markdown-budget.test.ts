// Long lists and quotes are refused before the Markdown parse (whose time grows steeply with them):
// a markdown-limit error at the line where the budget runs out, and the other files are still checked.
import { afterEach, describe, expect, it } from 'vitest';
import { markdownOverLimit, MAX_CONTAINER_CONTENT } from '../../src/check/markdown.ts';
import { advisory, checkJson, SEED_POLICY, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');
const flat = lines(MAX_CONTAINER_CONTENT + 1, () => '- x');
const nested = lines(MAX_CONTAINER_CONTENT + 1, (i) => ' '.repeat(2 * (i % 4)) + '- x');
/** Two markers a line: the budget runs out half-way. */
const quote = lines(MAX_CONTAINER_CONTENT, () => '> > quoted');
/** One item, then continuation lines, indented or lazy. */
const longItem = `- item\n${lines(MAX_CONTAINER_CONTENT, (i) => (i % 2 ? '  more' : 'lazy'))}`;

describe('markdownOverLimit: the container-content budget', () => {
  it('counts list and quote markers and continuation lines, up to the line that goes past the budget', () => {
    const content = { content: MAX_CONTAINER_CONTENT + 1, limit: MAX_CONTAINER_CONTENT };
    expect(markdownOverLimit(flat)).toEqual({ line: MAX_CONTAINER_CONTENT + 1, params: content });
    expect(markdownOverLimit(nested)).toEqual({ line: MAX_CONTAINER_CONTENT + 1, params: content });
    expect(markdownOverLimit(quote)).toEqual({ line: MAX_CONTAINER_CONTENT / 2 + 1, params: { content: MAX_CONTAINER_CONTENT + 2, limit: MAX_CONTAINER_CONTENT } });
    expect(markdownOverLimit(longItem)).toEqual({ line: MAX_CONTAINER_CONTENT + 1, params: content });
  });

  it('leaves alone what is within it: a list at the budget, fenced code, plain paragraphs, the seed SECURITY.md', () => {
    expect(markdownOverLimit(lines(MAX_CONTAINER_CONTENT, () => '- x'))).toBeUndefined();
    expect(markdownOverLimit('```\n' + flat + '\n```\n')).toBeUndefined();
    expect(markdownOverLimit(lines(3 * MAX_CONTAINER_CONTENT, () => 'plain text'))).toBeUndefined();
    expect(markdownOverLimit(SEED_POLICY)).toBeUndefined();
  });
});

describe('check with long lists and quotes', () => {
  it('each such advisory and SECURITY.md get a markdown-limit error with file, line and fix; the good one is still checked', async () => {
    const body = (markdown: string) => `## Impact\n\n${markdown}\n\n## Patches\n\nUpgrade.\n`;
    project = tempProject(
      {
        'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'),
        'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', {}, body(flat)),
        'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', {}, body(nested)),
        'advisories/SBX-2026-0004.md': advisory('SBX-2026-0004', {}, body(quote)),
        'advisories/SBX-2026-0005.md': advisory('SBX-2026-0005', { affected: '"nope"' }),
      },
      { policy: `${SEED_POLICY}\n${flat}\n` },
    );
    const r = await checkJson(project.root);
    expect(r.code).toBe(1);
    const limit = r.diagnostics.filter((d) => d.ruleId === 'markdown-limit');
    // In SECURITY.md, the seed policy's own few list items count too: the budget runs out inside the appended list.
    const seedLines = SEED_POLICY.split('\n').length;
    const policy = limit.find((d) => d.file === 'SECURITY.md')!;
    expect(policy.line).toBeGreaterThan(seedLines + MAX_CONTAINER_CONTENT - 100);
    expect(policy.line).toBeLessThanOrEqual(seedLines + 1 + MAX_CONTAINER_CONTENT);
    // The body starts on line 12 of advisory(); its list on body line 3.
    expect(limit.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}`).sort()).toEqual([
      `SECURITY.md:${policy.line}:1 error`,
      `advisories/SBX-2026-0002.md:${13 + MAX_CONTAINER_CONTENT + 1}:1 error`,
      `advisories/SBX-2026-0003.md:${13 + MAX_CONTAINER_CONTENT + 1}:1 error`,
      `advisories/SBX-2026-0004.md:${13 + MAX_CONTAINER_CONTENT / 2 + 1}:1 error`,
    ]);
    expect(limit[0]!.message).toBe(`The Markdown's lists and quotes are too long to read safely: past ${MAX_CONTAINER_CONTENT} markers and continuation lines`);
    expect(limit[0]!.hint).toContain('code block');
    expect(r.diagnostics.filter((d) => d.file === 'advisories/SBX-2026-0001.md')).toEqual([]);
    expect(r.diagnostics.filter((d) => d.file === 'advisories/SBX-2026-0005.md').map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['6:11 semver-range-invalid']);
  });
});
