import { diag } from '../diagnostics/catalogue.ts';
import type { Rule } from '../validate/context.ts';

const DAY = 24 * 3600 * 1000;

export const isEmbargoed = (published: string, now: Date) => Date.parse(published) > now.getTime();

export const embargoNotice: Rule = (ctx) => {
  if (isEmbargoed(ctx.fm.published, ctx.now)) {
    ctx.diagnostics.push(diag('embargoed', ctx.parsed.file, ctx.at(['published']), { published: ctx.fm.published }));
  }
};

/** From report to publication against SECURITY.md's timelines. A warning: a late fix must still ship. */
export const releaseTimeKept: Rule = (ctx) => {
  const { fm, policy } = ctx;
  const timeline = policy.timelines.find((t) => t.severity === fm.severity);
  if (!timeline || timeline.days === null) return;
  const days = Math.floor((Date.parse(fm.published) - Date.parse(`${fm.reported}T00:00:00Z`)) / DAY);
  if (days > timeline.days) {
    ctx.diagnostics.push(
      diag('release-time-exceeded', ctx.parsed.file, ctx.at(['published']), {
        severity: fm.severity[0]!.toUpperCase() + fm.severity.slice(1),
        policy: timeline.text.toLowerCase(),
        days,
        expected: `≤ ${timeline.days} days`,
        actual: `${days} days`,
      }),
    );
  }
};
