import { satisfies } from '../../core/ecosystems/index.ts';
import { defineRule, itemPath } from '../context.ts';
import { validRange, validVersion } from './semver.ts';

/** A fixed release cannot be affected: no patched version lies in an affected range. */
export const rule = defineRule({
  id: 'patched-in-affected',
  check(ctx, report) {
    ctx.fm.patched.forEach((version, i) => {
      if (!validVersion(ctx.scheme, version)) return;
      const range = ctx.fm.affected.find((r) => validRange(ctx.scheme, r) && satisfies(ctx.scheme, version, r));
      if (range) report(ctx.at(itemPath(ctx, 'patched', i)), { version, range });
    });
  },
  fixtures: {
    ok: [
      { title: 'the affected range ends before the patched version' },
      { title: 'an invalid version is left to semver-version-invalid', fm: { patched: '["1.2"]' } },
      { title: 'PyPI: the fix is a post-release after the range', fm: { ecosystem: 'PyPI', affected: '">=1.0,<=1.2.0"', patched: '[1.2.0.post1]' } },
      { title: 'an invalid range is left to semver-range-invalid', fm: { affected: '["nope", ">=1.0.0 <1.2.0"]' } },
    ],
    notOk: [
      {
        title: 'a range that includes the fix',
        fm: { affected: '">=1.0.0 <=1.2.0"' },
        expect: ['7:11: Patched version 1.2.0 is inside the affected range `>=1.0.0 <=1.2.0`'],
      },
      { title: 'a prerelease inside the range', fm: { patched: '[1.2.0-rc.1, 1.2.0]' }, expect: ['7:11: 1.2.0-rc.1'] },
      { title: 'a PEP 440 post-release is inside the range it follows', fm: { ecosystem: 'PyPI', affected: '"<=1.2.0.post1"', patched: '[1.2.0.post1]' }, expect: ['7:11: 1.2.0.post1'] },
      { title: 'a Maven release candidate comes before the release', fm: { ecosystem: 'Maven', affected: '"[1.0,1.2.0)"', patched: '[1.2.0-RC1]' }, expect: ['7:11: 1.2.0-RC1'] },
      { title: 'the second of two ranges', fm: { affected: '["<0.9.0", ">=1.0.0 <1.3.0"]', patched: '[0.9.0, 1.2.0]' }, expect: ['7:18: `>=1.0.0 <1.3.0`'] },
    ],
  },
});
