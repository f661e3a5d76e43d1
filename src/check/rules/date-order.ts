import { defineRule } from '../context.ts';

/** Dates run reported ≤ published ≤ modified, and a withdrawal comes after publication. */
export const rule = defineRule({
  id: 'date-order',
  check(ctx, report) {
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
        report(ctx.at(path), { earlier, earlierValue, later, laterValue });
      }
    }
  },
  fixtures: {
    ok: [
      { title: 'reported, then published' },
      { title: 'published on the day of the report', fm: { reported: '2026-03-02' } },
      { title: 'published on the UTC day before the report date, which has day precision', fm: { reported: '2026-03-03' } },
      {
        title: 'modified and withdrawn after publication',
        fm: { modified: '2026-03-04T00:00:00Z', withdrawn: '\n  at: 2026-03-05T00:00:00Z\n  reason: duplicate' },
      },
      { title: 'modified at the time of publication', fm: { modified: '2026-03-02T10:00:00Z' } },
    ],
    notOk: [
      {
        title: 'published before reported',
        fm: { reported: '2026-03-05' },
        expect: ['9:12: `published` (2026-03-02T10:00:00Z) is before `reported` (2026-03-05T00:00:00Z)'],
      },
      { title: 'modified before published', fm: { modified: '2026-03-01T00:00:00Z' }, expect: ['10:11: `modified`'] },
      {
        title: 'withdrawn before published, at the nested key',
        fm: { withdrawn: '\n  at: 2026-01-01T00:00:00Z\n  reason: mistake' },
        expect: ['11:7: `withdrawn.at`'],
      },
      {
        title: 'every pair out of order, in that order',
        fm: { reported: '2026-04-01', modified: '2026-03-01T00:00:00Z', withdrawn: '\n  at: 2026-03-01T00:00:00Z\n  reason: mistake' },
        expect: ['9:12: `published`', '10:11: `modified`', '12:7: `withdrawn.at`'],
      },
    ],
  },
});
