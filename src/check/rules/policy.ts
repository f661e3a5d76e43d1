// Rules against the policy: CVSS against severity, the supported lines, the release-time promise.
import { diag } from '../../core/catalogue.ts';
import { scoreCvss } from '../../core/cvss.ts';
import { lineStatus } from '../../core/lines.ts';
import { daysToRelease, deadlineOf } from '../../core/timing.ts';
import type { Rule } from '../context.ts';

export const cvssAgreesWithSeverity: Rule = (ctx) => {
  const { cvss, severity } = ctx.fm;
  if (!cvss) return;
  const { score, error } = scoreCvss(cvss);
  if (!score) {
    ctx.diagnostics.push(diag('cvss-invalid', ctx.parsed.file, ctx.at(['cvss']), { vector: cvss, reason: error }));
    return;
  }
  if (score.rating !== severity) {
    ctx.diagnostics.push(
      diag('cvss-severity-mismatch', ctx.parsed.file, ctx.at(['severity']), {
        version: score.version,
        score: score.score.toFixed(1),
        rating: score.rating,
        severity,
        expected: score.rating,
        actual: severity,
      }),
    );
  }
};

export const supportedLinesPatched: Rule = (ctx) => {
  const statuses = lineStatus(ctx.fm, ctx.policy.lines);
  for (const s of statuses) {
    if (s.supported && s.affected && s.fixedIn === null) {
      ctx.diagnostics.push(diag('supported-line-unpatched', ctx.parsed.file, ctx.at(['patched'], 'key'), { line: s.spec }));
    }
  }
  const touched = statuses.filter((s) => s.affected);
  if (touched.length > 0 && touched.every((s) => !s.supported)) {
    ctx.diagnostics.push(diag('unsupported-only', ctx.parsed.file, ctx.at(['affected'])));
  }
};

/** From report to publication against SECURITY.md's timelines. A warning: a late fix must still ship. */
export const releaseTimeKept: Rule = (ctx) => {
  const { fm, policy } = ctx;
  const timeline = deadlineOf(policy, fm.severity);
  if (!timeline || timeline.days === null) return;
  const days = daysToRelease(fm.reported, fm.published);
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
