import { diag } from '../../core/catalogue.ts';
import type { Rule } from '../context.ts';

export const REQUIRED_SECTIONS = ['Impact', 'Patches'] as const;

export const bodyHasSections: Rule = (ctx) => {
  const { parsed } = ctx;
  const titles = new Set(parsed.headings.filter((h) => h.depth === 2).map((h) => h.text.toLowerCase()));
  for (const section of REQUIRED_SECTIONS) {
    if (!titles.has(section.toLowerCase())) {
      ctx.diagnostics.push(diag('body-section-missing', parsed.file, { line: parsed.bodyLine, column: 1 }, { section }));
    }
  }
};
