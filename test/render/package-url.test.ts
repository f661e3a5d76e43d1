// purl and vers by ecosystem. A vers range must hold exactly the versions the advisory's semver ranges
// hold: checked with the vers spec's own evaluation (written here from the spec, independently of our code)
// against semver.satisfies, on a grid of versions and on generated ranges.
import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { purl, versRanges } from '../../src/render/package-url.ts';

/** The vers spec's containment: constraints sorted by version; `=` matches; else pairs of bounds. */
function versContains(vers: string, version: string): boolean {
  const body = vers.slice(vers.indexOf('/') + 1);
  if (body === '*') return true;
  const constraints = body.split('|').map((c) => {
    const [, op = '=', v] = /^(>=|<=|>|<|!=)?(.+)$/.exec(c)!;
    return { op, v: v! };
  });
  for (const c of constraints) if (c.op === '=' && semver.eq(version, c.v)) return true;
  const ranges = constraints.filter((c) => c.op !== '=');
  for (let i = 0; i < ranges.length; i++) {
    const c = ranges[i]!;
    const test = (op: string, v: string) =>
      op === '>=' ? semver.gte(version, v) : op === '>' ? semver.gt(version, v) : op === '<=' ? semver.lte(version, v) : semver.lt(version, v);
    if (c.op.startsWith('>')) {
      const next = ranges[i + 1];
      if (next && next.op.startsWith('<')) {
        if (test(c.op, c.v) && test(next.op, next.v)) return true;
        i++;
      } else if (test(c.op, c.v)) return true;
    } else if (test(c.op, c.v)) return true;
  }
  return false;
}

const GRID = ['0.0.0', '0.9.0', '0.9.5', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '1.1.9', '1.2.0', '1.2.1', '2.0.0-beta.1', '2.0.0', '2.3.4', '3.0.0'];
const inAny = (ranges: string[], v: string) => ranges.some((r) => semver.satisfies(v, r, { includePrerelease: true }));
const inVers = (vers: string[], v: string) => vers.some((x) => versContains(x, v));

describe('vers ranges', () => {
  it.each([
    [['>=1.0.0 <1.2.0'], ['vers:npm/>=1.0.0|<1.2.0']],
    [['<0.9.5', '>=1.0.0 <1.2.0'], ['vers:npm/<0.9.5', 'vers:npm/>=1.0.0|<1.2.0']],
    [['1.1.0'], ['vers:npm/1.1.0']],
    [['>1.0.0 <=1.1.9'], ['vers:npm/>1.0.0|<=1.1.9']],
    [['*'], ['vers:npm/*']],
    [['>=1.0.0 <1.2.0', '>=1.1.0 <2.0.0'], ['vers:npm/>=1.0.0|<2.0.0']],
  ])('%j → %j, holding the same versions', (affected, expected) => {
    const vers = versRanges('npm', affected);
    expect(vers).toEqual(expected);
    for (const v of GRID) expect(inVers(vers, v), v).toBe(inAny(affected, v));
  });

  it('hold the same versions as generated semver ranges', () => {
    const version = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)).map(([a, b, c]) => `${a}.${b}.${c}`);
    const comparator = fc.tuple(fc.constantFrom('>=', '>', '<', '<=', ''), version).map(([op, v]) => `${op}${v}`);
    const range = fc.array(comparator, { minLength: 1, maxLength: 2 }).map((cs) => cs.join(' '));
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 3 }), fc.array(version, { minLength: 5, maxLength: 10 }), (affected, versions) => {
        const vers = versRanges('npm', affected);
        for (const v of versions) if (inVers(vers, v) !== inAny(affected, v)) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('name the scheme of the ecosystem', () => {
    expect(versRanges('PyPI', ['<1.0.0'])).toEqual(['vers:pypi/<1.0.0']);
    expect(versRanges('Go', ['<1.0.0'])).toEqual(['vers:golang/<1.0.0']);
    expect(versRanges('Debian:12', ['<1.0.0'])).toEqual(['vers:generic/<1.0.0']);
  });
});

describe('purl', () => {
  it.each([
    ['npm', 'left-pad', '1.0.0', 'pkg:npm/left-pad@1.0.0'],
    ['npm', '@scalebox/sdk', undefined, 'pkg:npm/%40scalebox/sdk'],
    ['PyPI', 'Django_REST.framework', '3.1', 'pkg:pypi/django-rest-framework@3.1'],
    ['Go', 'github.com/gorilla/websocket', '1.5.0', 'pkg:golang/github.com/gorilla/websocket@1.5.0'],
    ['crates.io', 'serde', '1.0.0', 'pkg:cargo/serde@1.0.0'],
    ['RubyGems', 'rails', '7.0.0', 'pkg:gem/rails@7.0.0'],
    ['Maven', 'org.apache.logging.log4j:log4j-core', '2.17.0', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.0'],
    ['Debian', 'openssl', '1.0', undefined],
  ])('%s %s %s → %s', (ecosystem, name, version, expected) => {
    expect(purl(ecosystem, name, version)).toBe(expected);
  });
});
