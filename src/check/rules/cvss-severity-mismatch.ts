import { scoreCvss } from '../../core/cvss.ts';
import { defineRule } from '../context.ts';

/** The rating of a valid `cvss` vector is the `severity` (an invalid vector is cvss-invalid's). */
export const rule = defineRule({
  id: 'cvss-severity-mismatch',
  check(ctx, report) {
    const { cvss, severity } = ctx.fm;
    if (!cvss) return;
    const { score } = scoreCvss(cvss);
    if (score && score.rating !== severity) {
      report(ctx.at(['severity']), {
        version: score.version,
        score: score.score.toFixed(1),
        rating: score.rating,
        severity,
        expected: score.rating,
        actual: severity,
      });
    }
  },
  fixtures: {
    ok: [
      { title: 'no vector' },
      { title: 'a 3.1 vector rated high', fm: { cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N' } },
      { title: 'a 4.0 vector rated high', fm: { cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' } },
      { title: 'an invalid vector is cvss-invalid’s alone', fm: { cvss: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' } },
    ],
    notOk: [
      {
        title: '3.1: 9.8 is critical, not high',
        fm: { cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        expect: ['5:11: CVSS 3.1 base score 9.8 rates `critical`, but severity is `high`'],
      },
      {
        title: '4.0: 6.8 is medium, not high',
        fm: { cvss: 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' },
        expect: ['5:11: CVSS 4.0 base score 6.8 rates `medium`'],
      },
      {
        title: 'a zero score rates none',
        fm: { severity: 'low', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' },
        expect: ['5:11: rates `none`, but severity is `low`'],
      },
    ],
  },
});
