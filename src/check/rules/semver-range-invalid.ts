import { defineRule, itemPath } from '../context.ts';
import { validRange } from './semver.ts';

/** Each `affected` range is a semver range as npm reads it. */
export const rule = defineRule({
  id: 'semver-range-invalid',
  check(ctx, report) {
    ctx.fm.affected.forEach((range, i) => {
      if (!validRange(range)) report(ctx.at(itemPath(ctx, 'affected', i)), { range });
    });
  },
  fixtures: {
    ok: [
      { title: 'a range' },
      { title: 'ranges joined with ||, x-ranges, tilde and caret', fm: { affected: '["<0.9.0 || 1.0.x", "~1.1.0", "^0.9.5"]' } },
    ],
    notOk: [
      { title: 'the bad range inside a list', fm: { affected: '[">=1.0.0 <1.1.0", "1.1.x.y"]' }, expect: ['6:30: `1.1.x.y` is not a valid semver range'] },
      { title: 'a scalar range points at the value', fm: { affected: 'nope' }, expect: ['6:11: `nope`'] },
      { title: 'every bad range, in order', fm: { affected: '\n  - "1.0.0 -"\n  - ">=1.0.0"\n  - "v1 || *.*.*.*"' }, expect: ['7:5', '9:5'] },
    ],
  },
});
