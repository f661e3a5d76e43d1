// A project that is not on npm: OSV records, pages and `affected` in the notation of each ecosystem.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pep440 from '@renovatebot/pep440';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { satisfies, schemeFor } from '../../src/core/ecosystems/index.ts';
import type { OsvRange } from '../../src/render/osv-ranges.ts';
import { advisory, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { buildSite } from '../helpers/render-site.ts';
import { readJson } from '../helpers/site.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'test/schemas/osv-schema.json'), 'utf8')));
const POLICY = readFileSync(new URL('../check/security-md/python-sdk.md', import.meta.url), 'utf8');

/** OSV's evaluation of ECOSYSTEM events, ordered by the ecosystem's own comparison. */
function osvAffects(ranges: readonly OsvRange[], v: string, compare: (a: string, b: string) => number): boolean {
  return ranges.some((range) => {
    let vulnerable = false;
    for (const e of range.events) {
      if ('introduced' in e && (e.introduced === '0' || compare(v, e.introduced) >= 0)) vulnerable = true;
      else if ('fixed' in e && compare(v, e.fixed) >= 0) vulnerable = false;
      else if ('last_affected' in e && compare(v, e.last_affected) > 0) vulnerable = false;
    }
    return vulnerable;
  });
}

let project: TempProject;
let out: string;
beforeAll(async () => {
  project = tempProject(
    {
      'advisories/ACME-2026-0001.md': advisory('ACME-2026-0001', {
        affected: '[">=2.0.0,<2.4.1", ">=3.0.0,<3.0.4", "==3.1.0"]',
        patched: '[2.4.1, 3.0.4, 3.1.1.post1]',
        aliases: '[PYSEC-2026-17, CVE-2026-1234]',
      }),
      'advisories/ACME-2026-0002.md': advisory('ACME-2026-0002', { affected: '"~=3.1.0,<3.1.2"', patched: '["3.1.2"]', published: '2026-03-03T10:00:00Z' }),
      'advisories/ACME-2026-0003.md': advisory('ACME-2026-0003', {
        ecosystem: 'Go',
        package: 'example.com/acme/v3',
        affected: '">=v3.1.0 <v3.1.2"',
        patched: '[v3.1.2]',
        aliases: '[GO-2026-4410]',
        published: '2026-03-04T10:00:00Z',
      }),
      'advisories/ACME-2026-0004.md': advisory('ACME-2026-0004', {
        ecosystem: 'Maven',
        package: 'org.acme:acme-core',
        affected: '"[3.1,3.1.2)"',
        patched: '[3.1.2]',
        published: '2026-03-05T10:00:00Z',
      }),
      'advisories/ACME-2026-0005.md': advisory('ACME-2026-0005', {
        ecosystem: 'RubyGems',
        package: 'acme',
        affected: '"~> 3.1.0, < 3.1.2"',
        patched: '[3.1.2]',
        published: '2026-03-06T10:00:00Z',
      }),
      'advisories/ACME-2026-0006.md': advisory('ACME-2026-0006', {
        ecosystem: 'crates.io',
        package: 'acme',
        affected: '">=3.1.0, <3.1.2"',
        patched: '[3.1.2]',
        aliases: '[RUSTSEC-2026-0042]',
        published: '2026-03-07T10:00:00Z',
      }),
    },
    { policy: POLICY, config: { package: 'acme-sdk', ecosystem: 'PyPI', idPrefix: 'ACME', product: 'acme-sdk' } },
  );
  out = await buildSite(project.root);
});
afterAll(() => {
  project.cleanup();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('OSV records per ecosystem', () => {
  const EXPECT: [string, string, 'SEMVER' | 'ECOSYSTEM'][] = [
    ['ACME-2026-0001', 'PyPI', 'ECOSYSTEM'],
    ['ACME-2026-0002', 'PyPI', 'ECOSYSTEM'],
    ['ACME-2026-0003', 'Go', 'SEMVER'],
    ['ACME-2026-0004', 'Maven', 'ECOSYSTEM'],
    ['ACME-2026-0005', 'RubyGems', 'ECOSYSTEM'],
    ['ACME-2026-0006', 'crates.io', 'SEMVER'],
  ];
  it.each(EXPECT)('%s validates, names %s and uses %s ranges', (id, ecosystem, type) => {
    const record = readJson(out, `osv/${id}.json`);
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    expect(record.affected[0].package.ecosystem).toBe(ecosystem);
    expect(record.affected[0].ranges.map((r: OsvRange) => r.type)).toEqual(record.affected[0].ranges.map(() => type));
  });

  it('PEP 440 ranges become events that a scanner evaluates to the same versions', () => {
    const record = readJson(out, 'osv/ACME-2026-0001.json');
    expect(record.aliases).toEqual(['PYSEC-2026-17', 'CVE-2026-1234']);
    const ranges = record.affected[0].ranges as OsvRange[];
    expect(ranges.map((r) => r.events)).toEqual([
      [{ introduced: '2.0.0' }, { fixed: '2.4.1' }],
      [{ introduced: '3.0.0' }, { fixed: '3.0.4' }],
      [{ introduced: '3.1.0' }, { last_affected: '3.1.0' }],
    ]);
    const pypi = schemeFor('PyPI');
    const affected = record.database_specific ? (record.affected[0].database_specific.affected as string[]) : [];
    for (const v of ['1.9', '2.0.0rc1', '2.0.0', '2.4.0.post2', '2.4.1rc1', '2.4.1', '3.0.3', '3.0.4', '3.1.0', '3.1.0.post1', '3.1.1.post1']) {
      const expected = affected.some((r) => satisfies(pypi, v, r));
      expect(osvAffects(ranges, v, pep440.compare), v).toBe(expected);
    }
  });

  it('Go events carry no `v`, and the page advises `go get` with one', () => {
    const record = readJson(out, 'osv/ACME-2026-0003.json');
    expect(record.affected[0].ranges[0].events).toEqual([{ introduced: '3.1.0' }, { fixed: '3.1.2' }]);
    const page = readFileSync(join(out, 'advisories/ACME-2026-0003.html'), 'utf8');
    expect(page).toContain('go get example.com/acme/v3@v3.1.2');
  });
});

describe('pages in the ecosystem’s notation', () => {
  it('the PyPI page shows PEP 440 ranges and a pip upgrade per supported line', () => {
    const page = readFileSync(join(out, 'advisories/ACME-2026-0001.html'), 'utf8');
    expect(page).toContain('<code>&gt;=2.0.0,&lt;2.4.1</code>');
    expect(page).toContain('pip install --upgrade &quot;acme-sdk&gt;=2.4.1&quot;');
    expect(page).toContain('pip install --upgrade &quot;acme-sdk&gt;=3.1.1.post1&quot;');
  });
  it('Maven coordinates and a gem install', () => {
    expect(readFileSync(join(out, 'advisories/ACME-2026-0004.html'), 'utf8')).toContain('org.acme:acme-core:3.1.2');
    expect(readFileSync(join(out, 'advisories/ACME-2026-0005.html'), 'utf8')).toContain('gem install acme -v 3.1.2');
  });
  it('the index asks for a version as pip users write one, and says the ecosystem to the script', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('placeholder="e.g. 2.4.1"');
    expect(index).toContain('data-ecosystem="PyPI"');
  });
});

describe('`advisories affected` in PEP 440', () => {
  it('a post-release and a pre-release are compared as pip compares them', async () => {
    const r = await cli(['affected', '2.4.1rc1', '--root', project.root, '--now', NOW, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ id: 'ACME-2026-0001', upgradeTo: '2.4.1' })]);
    const clean = await cli(['affected', '3.1.1.post1', '--root', project.root, '--now', NOW, '--json']);
    // Among the PyPI advisories only the one for 3.1.x matches (the others are of other ecosystems' packages).
    const ids = JSON.parse(clean.stdout).map((v: { id: string }) => v.id);
    expect(ids).toContain('ACME-2026-0002');
    expect(ids).not.toContain('ACME-2026-0001');
  });
});
