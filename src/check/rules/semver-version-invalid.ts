import { defineRule, itemPath } from '../context.ts';
import { validVersion } from './semver.ts';

/** Each `patched` version is an exact released version, three numbers. */
export const rule = defineRule({
  id: 'semver-version-invalid',
  check(ctx, report) {
    ctx.fm.patched.forEach((version, i) => {
      if (!validVersion(version)) report(ctx.at(itemPath(ctx, 'patched', i)), { version });
    });
  },
  fixtures: {
    ok: [
      { title: 'a version' },
      { title: 'no patched version at all', fm: { patched: '[]' } },
      { title: 'a prerelease and build metadata', fm: { patched: '[1.2.0, 2.0.0-rc.1+build.5]' } },
    ],
    notOk: [
      { title: 'two numbers, quoted so YAML keeps a string', fm: { patched: '["1.2"]' }, expect: ['7:11: `1.2` is not a valid semver version'] },
      { title: 'a range is not a version', fm: { patched: '[1.2.0, ">=1.3.0"]' }, expect: ['7:18: `>=1.3.0`'] },
      { title: 'a scalar points at the value', fm: { patched: 'latest' }, expect: ['7:10: `latest`'] },
    ],
  },
});
