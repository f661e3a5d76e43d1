import { lineStatus } from '../../core/lines.ts';
import { defineRule } from '../context.ts';

/** Every supported line the affected ranges touch gets a patched version in that line. */
export const rule = defineRule({
  id: 'supported-line-unpatched',
  check(ctx, report) {
    for (const s of lineStatus({ affected: ctx.fm.affected, patched: ctx.fm.patched, ecosystem: ctx.ecosystem }, ctx.policy.lines)) {
      if (s.supported && s.affected && s.fixedIn === null) report(ctx.at(['patched'], 'key'), { line: s.spec });
    }
  },
  fixtures: {
    ok: [
      { title: 'the supported line has its fix' },
      { title: 'an unsupported line needs none', fm: { affected: '"<0.9.0"', patched: '[]' } },
      {
        title: 'a line the policy does not support',
        fm: { patched: '[]' },
        policy: '## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 2.x.x | ✅ |\n| 1.x.x | ❌ |\n',
      },
      { title: 'PyPI: a post-release fixes the 1.x.x line', fm: { ecosystem: 'PyPI', affected: '">=1.0,<1.2.0.post1"', patched: '[1.2.0.post1]' } },
    ],
    notOk: [
      {
        title: 'no fix at all, at the `patched` key',
        fm: { patched: '[]' },
        expect: ['7:1: The affected range touches the supported line `1.x.x`, but no patched version is in that line'],
      },
      {
        title: "Maven: 2.0-RC1 is a pre-release of 2.0, in no 1.x line",
        fm: { ecosystem: 'Maven', affected: '"[1.0,2.0-RC1)"', patched: '[2.0-RC1]' },
        expect: ['7:1: `1.x.x`'],
      },
      { title: 'the only fix is in an unsupported line', fm: { affected: '">=0.5.0 <1.2.0"', patched: '[0.9.9]' }, expect: ['7:1: `1.x.x`'] },
      {
        title: 'one for each supported line without a fix, in the policy’s order',
        fm: { affected: '">=1.0.0 <3.1.0"', patched: '[3.1.0]' },
        policy: '## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 3.x.x | ✅ |\n| 2.x.x | ✅ |\n| 1.x.x | ✅ |\n',
        expect: ['7:1: `2.x.x`', '7:1: `1.x.x`'],
      },
    ],
  },
});
