import { scoreCvss } from '../../core/cvss.ts';
import { defineRule } from '../context.ts';

/** A `cvss` vector is a complete CVSS 3.1 or 4.0 base vector. */
export const rule = defineRule({
  id: 'cvss-invalid',
  check(ctx, report) {
    const { cvss } = ctx.fm;
    if (!cvss) return;
    const { score, error } = scoreCvss(cvss);
    if (!score) report(ctx.at(['cvss']), { vector: cvss, reason: error });
  },
  fixtures: {
    ok: [
      { title: 'no vector' },
      { title: 'a 3.1 vector', fm: { cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N' } },
      { title: 'a 4.0 vector', fm: { cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' } },
      { title: 'a valid vector whose rating is not the severity is for cvss-severity-mismatch', fm: { cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } },
    ],
    notOk: [
      {
        title: 'an unknown metric value',
        fm: { cvss: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        expect: ['10:7: `CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` is not a valid CVSS vector'],
      },
      { title: 'base metrics missing', fm: { cvss: 'CVSS:4.0/AV:N/AC:L' }, expect: ['10:7: some base metrics are missing'] },
      { title: 'another version', fm: { cvss: 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P' }, expect: ['10:7: it must start with CVSS:3.1/ or CVSS:4.0/'] },
    ],
  },
});
