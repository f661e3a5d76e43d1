import { defineRule, itemPath } from '../context.ts';
import { notation, validVersion } from './semver.ts';

/** Each `patched` version is an exact released version of the advisory's ecosystem (npm: three numbers). */
export const rule = defineRule({
  id: 'semver-version-invalid',
  check(ctx, report) {
    ctx.fm.patched.forEach((version, i) => {
      if (!validVersion(ctx.scheme, version)) report(ctx.at(itemPath(ctx, 'patched', i)), { version, ...notation(ctx, 'version') });
    });
  },
  fixtures: {
    ok: [
      { title: 'a version' },
      { title: 'no patched version at all', fm: { patched: '[]' } },
      { title: 'a prerelease and build metadata', fm: { patched: '[1.2.0, 2.0.0-rc.1+build.5]' } },
      { title: 'PEP 440 post-, pre- and dev releases for PyPI', fm: { ecosystem: 'PyPI', affected: '"<1.2"', patched: '[1.2.0.post1, 2.5.0rc1, "1.3"]' } },
      { title: 'a Go pseudo-version', fm: { ecosystem: 'Go', affected: '"<1.2.0"', patched: '[v0.0.0-20191109021931-daa7c04131f5, v1.2.0]' } },
      { title: 'Maven qualifiers', fm: { ecosystem: 'Maven', affected: '"(,1.2.0)"', patched: '[1.2.0.Final, 1.3.0-RC1]' } },
    ],
    notOk: [
      { title: 'two numbers, quoted so YAML keeps a string', fm: { patched: '["1.2"]' }, expect: ['7:11: `1.2` is not a valid semver version'] },
      { title: 'a semver pre-release is no PEP 440 version', fm: { ecosystem: 'PyPI', patched: '[1.2.0-rc.1.x]' }, expect: ['7:11: `1.2.0-rc.1.x` is not a valid PyPI PEP 440 version'] },
      { title: 'a range is not a version', fm: { patched: '[1.2.0, ">=1.3.0"]' }, expect: ['7:18: `>=1.3.0`'] },
      { title: 'a scalar points at the value', fm: { patched: 'latest' }, expect: ['7:10: `latest`'] },
    ],
  },
});
