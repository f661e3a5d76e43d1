import { diag } from '../../core/catalogue.ts';
import type { Rule } from '../context.ts';

export const datesInOrder: Rule = (ctx) => {
  const { fm } = ctx;
  const pairs: [string, string | undefined, string, string | undefined, (string | number)[]][] = [
    ['reported', `${fm.reported}T00:00:00Z`, 'published', fm.published, ['published']],
    ['published', fm.published, 'modified', fm.modified, ['modified']],
    ['published', fm.published, 'withdrawn.at', fm.withdrawn?.at, ['withdrawn', 'at']],
  ];
  for (const [earlier, earlierValue, later, laterValue, path] of pairs) {
    if (!earlierValue || !laterValue) continue;
    // The report date has day precision: published on the same day is in order.
    const slack = earlier === 'reported' ? 24 * 3600 * 1000 - 1 : 0;
    if (Date.parse(laterValue) + slack < Date.parse(earlierValue)) {
      ctx.diagnostics.push(diag('date-order', ctx.parsed.file, ctx.at(path), { earlier, earlierValue, later, laterValue }));
    }
  }
};
