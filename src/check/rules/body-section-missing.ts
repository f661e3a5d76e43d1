import { defineRule } from '../context.ts';

const REQUIRED_SECTIONS = ['Impact', 'Patches'] as const;

/** The body has the `## Impact` and `## Patches` sections readers and the mail look for. */
export const rule = defineRule({
  id: 'body-section-missing',
  check(ctx, report) {
    const { parsed } = ctx;
    const titles = new Set(parsed.headings.filter((h) => h.depth === 2).map((h) => h.text.toLowerCase()));
    for (const section of REQUIRED_SECTIONS) {
      if (!titles.has(section.toLowerCase())) report({ line: parsed.bodyLine, column: 1 }, { section });
    }
  },
  fixtures: {
    ok: [
      { title: 'both sections' },
      { title: 'in any case, among other sections', body: '## Workarounds\n\nNone.\n\n## impact\n\nBad.\n\n## PATCHES\n\nUpgrade.\n\n## References\n' },
      { title: 'setext headings', body: 'Impact\n------\n\nBad.\n\nPatches\n-------\n\nUpgrade.\n' },
    ],
    notOk: [
      { title: 'no `## Patches`, at the body’s first line', body: '## Impact\n\nBad.\n', expect: ['11:1: The body has no `## Patches` section'] },
      { title: 'a `## Patches` line inside a code block does not count', body: '## Impact\n\n```md\n## Patches\n```\n', expect: ['11:1: `## Patches`'] },
      { title: 'the sections at another depth do not count', body: '# Impact\n\n### Patches\n', expect: ['11:1: `## Impact`', '11:1: `## Patches`'] },
      { title: 'an empty body', body: '', expect: ['11:1: `## Impact`', '11:1: `## Patches`'] },
    ],
  },
});
