import semver from 'semver';
import { defineRule, itemPath } from '../context.ts';
import { validRange, validVersion } from './semver.ts';

/** A fixed release cannot be affected: no patched version lies in an affected range. */
export const rule = defineRule({
  id: 'patched-in-affected',
  check(ctx, report) {
    ctx.fm.patched.forEach((version, i) => {
      if (!validVersion(version)) return;
      const range = ctx.fm.affected.find((r) => validRange(r) && semver.satisfies(version, r, { includePrerelease: true }));
      if (range) report(ctx.at(itemPath(ctx, 'patched', i)), { version, range });
    });
  },
  fixtures: {
    ok: [
      { title: 'the affected range ends before the patched version' },
      { title: 'an invalid version is left to semver-version-invalid', fm: { patched: '["1.2"]' } },
      { title: 'an invalid range is left to semver-range-invalid', fm: { affected: '["nope", ">=1.0.0 <1.2.0"]' } },
    ],
    notOk: [
      {
        title: 'a range that includes the fix',
        fm: { affected: '">=1.0.0 <=1.2.0"' },
        expect: ['7:11: Patched version 1.2.0 is inside the affected range `>=1.0.0 <=1.2.0`'],
      },
      { title: 'a prerelease inside the range', fm: { patched: '[1.2.0-rc.1, 1.2.0]' }, expect: ['7:11: 1.2.0-rc.1'] },
      { title: 'the second of two ranges', fm: { affected: '["<0.9.0", ">=1.0.0 <1.3.0"]', patched: '[0.9.0, 1.2.0]' }, expect: ['7:18: `>=1.0.0 <1.3.0`'] },
    ],
  },
});
