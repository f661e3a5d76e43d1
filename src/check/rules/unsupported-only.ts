import { lineStatus } from '../../core/lines.ts';
import { defineRule } from '../context.ts';

/** A warning: an advisory that touches only unsupported lines is published with no fix for them. */
export const rule = defineRule({
  id: 'unsupported-only',
  check(ctx, report) {
    const touched = lineStatus({ affected: ctx.fm.affected, patched: ctx.fm.patched, ecosystem: ctx.ecosystem }, ctx.policy.lines).filter((s) => s.affected);
    if (touched.length > 0 && touched.every((s) => !s.supported)) report(ctx.at(['affected']));
  },
  fixtures: {
    ok: [
      { title: 'a supported line is affected' },
      { title: 'supported and unsupported lines are affected', fm: { affected: '["<0.9.0", ">=1.0.0 <1.2.0"]' } },
      { title: 'no line of the policy is affected', fm: { affected: '">=5.0.0 <5.1.0"', patched: '[5.1.0]' } },
    ],
    notOk: [
      { title: 'only < 1.0, at `affected`', fm: { affected: '"<0.9.0"', patched: '[]' }, expect: ['6:11: The advisory affects only unsupported versions'] },
      { title: 'with a fix anyway', fm: { affected: '[">=0.5.0 <0.9.0"]', patched: '[0.9.0]' }, expect: ['6:11'] },
    ],
  },
});
