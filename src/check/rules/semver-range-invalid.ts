import { defineRule, itemPath } from '../context.ts';
import { notation, validRange } from './semver.ts';

/** Each `affected` range is a range in the notation of the advisory's ecosystem (npm's semver by default). */
export const rule = defineRule({
  id: 'semver-range-invalid',
  check(ctx, report) {
    ctx.fm.affected.forEach((range, i) => {
      if (!validRange(ctx.scheme, range)) report(ctx.at(itemPath(ctx, 'affected', i)), { range, ...notation(ctx) });
    });
  },
  fixtures: {
    ok: [
      { title: 'a range' },
      { title: 'ranges joined with ||, x-ranges, tilde and caret', fm: { affected: '["<0.9.0 || 1.0.x", "~1.1.0", "^0.9.5"]' } },
      { title: 'PEP 440 specifiers for a PyPI package', fm: { ecosystem: 'PyPI', affected: '[">=1.0.0,<1.2.0", "~=0.9.1", "==0.8.*"]' } },
      { title: 'the PyPI ecosystem from the config', fm: { affected: '">= 1.0, < 1.2.0"' }, config: { ecosystem: 'PyPI' } },
      { title: 'Gem requirements', fm: { ecosystem: 'RubyGems', affected: '["~> 1.1.0", ">= 1.0, < 1.1"]' } },
      { title: 'a Maven range', fm: { ecosystem: 'Maven', affected: '"[1.0,1.2.0)"' } },
      { title: 'a Cargo requirement', fm: { ecosystem: 'crates.io', affected: '">=1.0.0, <1.2.0"' } },
      { title: 'Go versions with their v', fm: { ecosystem: 'Go', affected: '">=v1.0.0 <v1.2.0"' } },
    ],
    notOk: [
      { title: 'the bad range inside a list', fm: { affected: '[">=1.0.0 <1.1.0", "1.1.x.y"]' }, expect: ['6:30: `1.1.x.y` is not a valid semver range'] },
      { title: 'a scalar range points at the value', fm: { affected: 'nope' }, expect: ['6:11: `nope`'] },
      {
        title: "npm's syntax under PyPI, named as PyPI's notation",
        fm: { ecosystem: 'PyPI', affected: '">=1.0.0 <1.2.0"' },
        expect: ['6:11: `>=1.0.0 <1.2.0` is not a valid PyPI PEP 440 version specifier'],
      },
      { title: "a PEP 440 specifier under Maven", fm: { ecosystem: 'Maven', affected: '">=1.0,<1.2"' }, expect: ['6:11: not a valid Maven version range'] },
      { title: 'every bad range, in order', fm: { affected: '\n  - "1.0.0 -"\n  - ">=1.0.0"\n  - "v1 || *.*.*.*"' }, expect: ['7:5', '9:5'] },
    ],
  },
});
