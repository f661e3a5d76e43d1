import pep440 from '@renovatebot/pep440';
import { satisfies as gemSatisfies } from '@renovatebot/ruby-semver';
import { describe, expect, it } from 'vitest';
import { intersects, satisfies, schemeFor, validRange, validVersion } from '../../../src/core/ecosystems/index.ts';
import { compareMaven } from '../../../src/core/ecosystems/maven-version.ts';
import order from './maven-order.json' with { type: 'json' };

const inRange = (eco: string, v: string, r: string) => satisfies(schemeFor(eco), v, r);

describe('PyPI: PEP 440 versions and specifiers', () => {
  const pypi = schemeFor('PyPI');
  it('reads PEP 440 versions that are not semver', () => {
    for (const v of ['3.1.1.post1', '2.5.0rc1', '1!2.0.dev3', '2.0', '2024.10.1', '1.0+local.7']) expect(validVersion(pypi, v), v).toBe(true);
    for (const v of ['1.2.3-x-y', 'latest', '>=1.0']) expect(validVersion(pypi, v), v).toBe(false);
  });
  it('orders pre-, post- and dev releases as PEP 440 does', () => {
    const sorted = ['2.5.0', '2.5.0rc1', '2.5.0.post1', '2.5.0.dev1', '2.5.0a1', '2.4.9'].sort(pypi.compare);
    expect(sorted).toEqual(['2.4.9', '2.5.0.dev1', '2.5.0a1', '2.5.0rc1', '2.5.0', '2.5.0.post1']);
  });
  it('reads specifiers and rejects npm syntax', () => {
    for (const r of ['>=2.0.0,<2.4.1', '>= 2.0, < 3.0', '~=2.2', '==2.1.*', '!=2.3.0,<3', '<1.0', '===1.0']) expect(validRange(pypi, r), r).toBe(true);
    for (const r of ['>=2.0.0 <2.4.1', '1.x', '^1.2', '~=2', '>=2.*', '']) expect(validRange(pypi, r), r).toBe(false);
  });
  const specs = ['>=2.0.0,<2.4.1', '~=2.2', '~=2.2.1', '==2.1.*', '!=2.3.0,<3', '<1.0', '>1.5', '<=2.4', '!=2.*'];
  const versions = ['0.9', '1.0', '1.5', '1.5.1', '2.0.0', '2.1', '2.1.7', '2.2', '2.2.0', '2.2.5', '2.3.0', '2.4', '2.4.1', '2.9', '3.0', '3.1.1.post1'];
  it('matches final releases exactly as @renovatebot/pep440 does', () => {
    for (const r of specs) for (const v of versions) expect(inRange('PyPI', v, r), `${v} in ${r}`).toBe(pep440.satisfies(v, r));
  });
  it('counts pre-releases and post-releases inside a range as affected', () => {
    expect(inRange('PyPI', '2.4.1rc1', '>=2.0.0,<2.4.1')).toBe(true);
    expect(inRange('PyPI', '2.4.1', '>=2.0.0,<2.4.1')).toBe(false);
    expect(inRange('PyPI', '2.2.0.post1', '==2.2.*')).toBe(true);
    expect(inRange('PyPI', '3.0.dev1', '~=2.2')).toBe(false);
  });
  it('finds overlapping specifiers', () => {
    expect(intersects(pypi, '>=2.0,<2.4.1', '>=2.4,<3')).toBe(true);
    expect(intersects(pypi, '>=2.0,<2.4.1', '>=2.4.1')).toBe(false);
    expect(intersects(pypi, '==2.1.*', '!=2.1.*')).toBe(false);
  });
});

describe('RubyGems: Gem versions and requirements', () => {
  const gems = schemeFor('RubyGems');
  const reqs = ['~> 2.2', '~> 2.2.1', '>= 2.0, < 2.4.1', '!= 2.3.0', '< 1.0', '= 2.2.5', '2.2.5', '> 1.5, <= 2.4'];
  const versions = ['0.9', '1.0', '1.5', '1.5.1', '2.0.0', '2.1', '2.2', '2.2.0', '2.2.1', '2.2.5', '2.3.0', '2.4', '2.4.1', '2.9', '3.0', '3.0.0.rc1', '2.2.0.beta'];
  it('matches exactly as @renovatebot/ruby-semver does', () => {
    for (const r of reqs) for (const v of versions) expect(inRange('RubyGems', v, r), `${v} in ${r}`).toBe(gemSatisfies(v, r));
  });
  it('rejects what a Gemfile would not take', () => {
    expect(validRange(gems, '>=2.0.0 <2.4.1')).toBe(false);
    expect(validRange(gems, '^1.2')).toBe(false);
    expect(validVersion(gems, '1.2.3.rc1')).toBe(true);
  });
});

describe('Maven: order and ranges', () => {
  it("orders versions exactly as Maven's ComparableVersion (3.8.7) did", () => {
    let checked = 0;
    for (let i = 2; i < order.length; i++) {
      if (order[i] === '=' || order[i - 1] === '=') continue;
      const [a, b] = [order[i - 1]!, order[i]!];
      const equal = order[i - 2] === '=' ? order[i - 3] : undefined;
      expect(compareMaven(a, b), `${a} < ${b}`).toBe(-1);
      if (equal) expect(compareMaven(equal, a)).toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });
  it('reads range syntax', () => {
    const maven = schemeFor('Maven');
    expect(inRange('Maven', '1.5', '[1.0,2.0)')).toBe(true);
    expect(inRange('Maven', '2.0', '[1.0,2.0)')).toBe(false);
    expect(inRange('Maven', '2.0-RC1', '[1.0,2.0)')).toBe(true);
    expect(inRange('Maven', '1.0', '(,1.0]')).toBe(true);
    expect(inRange('Maven', '1.1', '(,1.0],[1.2,)')).toBe(false);
    expect(inRange('Maven', '1.3', '(,1.0],[1.2,)')).toBe(true);
    expect(inRange('Maven', '1.2', '[1.2]')).toBe(true);
    expect(inRange('Maven', '1.2.0', '1.2')).toBe(true);
    for (const r of ['[1.0,2.0', '(1.2)', '[2.0,1.0]', '>=1.0', '[,1.0]', '']) expect(validRange(maven, r), r).toBe(false);
  });
});

describe('Go and crates.io', () => {
  it('Go: v prefixes and pseudo-versions', () => {
    const go = schemeFor('Go');
    expect(go.parse('v1.4.2')).toBe('1.4.2');
    expect(validVersion(go, 'v0.0.0-20191109021931-daa7c04131f5')).toBe(true);
    expect(inRange('Go', 'v0.0.0-20191109021931-daa7c04131f5', '<v0.1.0')).toBe(true);
    expect(inRange('Go', 'v1.4.2', '>=v1.2.0 <v1.4.2')).toBe(false);
    expect(inRange('Go', 'v2.0.0+incompatible', '>=2.0.0 <2.1.0')).toBe(true);
    expect(go.display('1.4.2')).toBe('v1.4.2');
  });
  it("crates.io: Cargo's requirement syntax, where a bare version is a caret", () => {
    const crates = schemeFor('crates.io');
    expect(inRange('crates.io', '1.9.0', '1.2.3')).toBe(true);
    expect(inRange('crates.io', '2.0.0', '1.2.3')).toBe(false);
    expect(inRange('crates.io', '0.3.5', '>=0.3.0, <0.3.6')).toBe(true);
    expect(inRange('crates.io', '0.3.5', '>=0.3.0 <0.3.6')).toBe(true);
    expect(validRange(crates, '<0.3 || >1')).toBe(false);
    expect(validRange(crates, '>=1.0,')).toBe(false);
  });
  it('npm is unchanged, and an ecosystem without its own module is read as SemVer with ECOSYSTEM ranges', () => {
    expect(inRange('npm', '1.2.3', '1.2.3')).toBe(true);
    expect(inRange('npm', '1.9.0', '1.2.3')).toBe(false);
    expect(schemeFor('npm').osvRangeType).toBe('SEMVER');
    expect(schemeFor('NuGet').osvRangeType).toBe('ECOSYSTEM');
    expect(inRange('NuGet', '1.9.0', '>=1.0.0 <2.0.0')).toBe(true);
    expect(schemeFor('Debian:12').ecosystem).toBe('Debian');
  });
});
