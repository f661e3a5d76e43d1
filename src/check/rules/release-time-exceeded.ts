import { daysToRelease, deadlineOf } from '../../core/timing.ts';
import { defineRule } from '../context.ts';

/** The policy's words as the end of "must be released …": "within 7 days", "immediately (within 1 day)". */
function promise(text: string, days: number): string {
  if (/^within\b/i.test(text.trim())) return text.trim().replace(/^within/i, 'within');
  if (/^immediate/i.test(text.trim())) return `immediately (within ${days} day${days === 1 ? '' : 's'})`;
  return `within ${days} day${days === 1 ? '' : 's'} ("${text.trim()}")`;
}

/** From report to publication against SECURITY.md's timelines. A warning: a late fix must still ship. */
export const rule = defineRule({
  id: 'release-time-exceeded',
  check(ctx, report) {
    const { fm, policy } = ctx;
    const timeline = deadlineOf(policy, fm.severity);
    if (!timeline || timeline.days === null) return;
    const days = daysToRelease(fm.reported, fm.published);
    if (days > timeline.days) {
      report(ctx.at(['published']), {
        severity: fm.severity[0]!.toUpperCase() + fm.severity.slice(1),
        policy: promise(timeline.text, timeline.days),
        days,
        expected: `≤ ${timeline.days} days`,
        actual: `${days} days`,
      });
    }
  },
  fixtures: {
    ok: [
      { title: 'within the deadline' },
      { title: 'on the last day of the deadline', fm: { reported: '2026-02-23' } },
      { title: 'no deadline for low: next regular release', fm: { severity: 'low', reported: '2025-01-01' } },
      {
        title: 'no Security Updates list in the policy',
        fm: { reported: '2025-01-01' },
        policy: '## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 1.x.x | ✅ |\n',
      },
    ],
    notOk: [
      {
        title: 'high: 60 days, at `published`',
        fm: { reported: '2026-01-01' },
        expect: ['9:12: High advisories must be released within 7 days; this one took 60 days'],
      },
      {
        title: 'critical: immediate release, the next day at the latest',
        fm: { severity: 'critical', reported: '2026-02-28' },
        expect: ['9:12: Critical advisories must be released immediately (within 1 day); this one took 2 days'],
      },
    ],
  },
});
