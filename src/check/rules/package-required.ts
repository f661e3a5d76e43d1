import { defineRule } from '../context.ts';

/** An advisory names its package, or the config gives every advisory one: the schema cannot know which. */
export const rule = defineRule({
  id: 'schema-required',
  name: 'package-required',
  check(ctx, report) {
    if (!ctx.fm.package && !ctx.config.package) {
      report(ctx.at([]), { key: 'package', example: 'scalebox-sdk (or set "package" in advisories.config.json)' });
    }
  },
  fixtures: {
    ok: [
      { title: 'the package from the config' },
      { title: 'the package from the advisory, without a config', fm: { package: 'acme' }, config: null },
      { title: 'the advisory’s package over the config’s', fm: { package: 'acme' } },
    ],
    notOk: [
      { title: 'no package and no config', config: null, expect: ['2:1: Missing required field `package`'] },
      { title: 'no package and a config without one', config: { package: undefined }, expect: ['2:1: `package`'] },
    ],
  },
});
