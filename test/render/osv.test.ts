import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osvRanges, type OsvRange } from '../../src/render/osv-ranges.ts';
import { advisory, tempProject, type TempProject } from '../helpers/project.ts';
import { buildSite } from '../helpers/render-site.ts';
import { build, readJson, readTree } from '../helpers/site.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;
// The official schema, vendored with its provenance (test/schemas/README.md).
const osvSchema = JSON.parse(readFileSync(join(repoRoot, 'test/schemas/osv-schema.json'), 'utf8'));
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(osvSchema);

/** The OSV spec's evaluation pseudocode (IsVulnerable for one package), written independently of our code. */
function osvAffects(ranges: readonly OsvRange[], v: string): boolean {
  const ge = (a: string, b: string) => b === '0' || semver.gte(a, b);
  return ranges.some((range) => {
    let vulnerable = false;
    for (const e of range.events) {
      if ('introduced' in e && ge(v, e.introduced)) vulnerable = true;
      else if ('fixed' in e && semver.gte(v, e.fixed)) vulnerable = false;
      else if ('last_affected' in e && semver.gt(v, e.last_affected)) vulnerable = false;
    }
    return vulnerable;
  });
}

const GRID = [
  '0.0.0', '0.9.0', '0.9.1', '0.9.5', '0.10.0', '1.0.0-rc.1', '1.0.0', '1.0.1-0', '1.0.1', '1.1.0', '1.1.4', '1.1.5', '1.2.0', '1.2.2',
  '1.2.3-beta.1', '1.2.3-beta.1.0', '1.2.3-beta.2', '1.2.3', '1.2.4', '1.3.0', '1.3.2', '1.3.3', '1.3.9', '1.4.0', '1.4.1',
  '2.0.0-rc.0', '2.0.0-rc.1', '2.0.0', '2.0.1', '3.0.0',
];

describe('OSV ranges from semver ranges', () => {
  it.each([
    [['>=1.0.0 <1.2.3']],
    [['<1.0.0']],
    [['>1.0.0 <=1.4.0']],
    [['1.2.3']],
    [['*']],
    [['>=1.0.0 <1.3.0', '>=1.2.0 <1.4.0']],
    [['^1.2.0 || ~0.9.1']],
    [['>=2.0.0-rc.1 <2.0.1']],
    [['>1.2.3-beta.1 <1.2.3']],
    [['<1.0.0', '>=1.1.0 <1.1.5', '>=1.3.0 <=1.3.2']],
  ])('%j: a scanner evaluating the OSV events finds exactly the versions semver finds', (ranges) => {
    const osv = osvRanges(ranges, [], 'npm');
    for (const v of GRID) {
      const expected = ranges.some((r) => semver.satisfies(v, r, { includePrerelease: true }));
      expect(osvAffects(osv, v), `${v} in ${ranges.join(' | ')}: ${JSON.stringify(osv)}`).toBe(expected);
    }
  });

  it('writes >=1.0.0 <1.2.3 as introduced/fixed, <1.0.0 from 0, and overlapping ranges once', () => {
    expect(osvRanges(['>=1.0.0 <1.2.3'], ['1.2.3'], 'npm')).toEqual([{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.3' }] }]);
    expect(osvRanges(['<1.0.0'], [], 'npm')[0]!.events).toEqual([{ introduced: '0' }, { fixed: '1.0.0' }]);
    expect(osvRanges(['>=1.0.0 <1.3.0', '>=1.2.0 <1.4.0'], ['1.4.0'], 'npm')).toHaveLength(1);
    expect(osvRanges(['>=1.0.0 <=1.3.2'], ['1.3.3'], 'npm')[0]!.events).toEqual([{ introduced: '1.0.0' }, { last_affected: '1.3.2' }]);
  });

  it('says so when the end of a range is not a patched release', () => {
    const [unpatched] = osvRanges(['<1.0.0'], [], 'npm');
    expect(unpatched!.database_specific?.note).toMatch(/1\.0\.0 is where the affected range ends, not a release that fixes it/);
    const [patched] = osvRanges(['>=1.0.0 <1.2.3'], ['1.2.3'], 'npm');
    expect(patched!.database_specific).toBeUndefined();
  });
});

describe('OSV records', () => {
  let project: TempProject;
  let out: string;
  beforeAll(async () => {
    project = tempProject({
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', {
        severity: 'critical',
        cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        aliases: '[CVE-2026-1234, GHSA-2345-6789-cfgh]',
        cwe: '[CWE-22]',
        credits: '[{name: Ada, type: finder, contact: ["mailto:ada@example.org"]}, Bob]',
        references: '[{type: fix, url: "https://example.org/commit/1"}, "https://example.org/post"]',
        affected: '["<1.0.0", ">=1.1.0 <1.1.5", ">=1.3.0 <=1.3.2"]',
        patched: '[1.1.5, 1.3.3]',
      }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', {
        severity: 'medium',
        cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N',
        withdrawn: '{at: "2026-04-01T00:00:00Z", reason: "Duplicate of SBX-2026-0001"}',
      }),
    });
    out = await buildSite(project.root);
  });
  afterAll(() => {
    project.cleanup();
    rmSync(out, { recursive: true, force: true });
  });

  it('validate against the official OSV schema, with x_ ids, aliases, CVSS, references, credits and dates', () => {
    const first = readJson(out, 'osv/SBX-2026-0001.json');
    expect(validate(first), JSON.stringify(validate.errors)).toBe(true);
    expect(first).toMatchObject({
      schema_version: expect.stringMatching(/^1\.(6|7|8|9)\.\d+$/),
      id: 'x_SBX-2026-0001',
      published: '2026-03-02T10:00:00Z',
      modified: '2026-03-02T10:00:00Z',
      aliases: ['CVE-2026-1234', 'GHSA-2345-6789-cfgh'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      credits: [{ name: 'Ada', type: 'FINDER', contact: ['mailto:ada@example.org'] }, { name: 'Bob' }],
      database_specific: { id: 'SBX-2026-0001', severity: 'CRITICAL', cvss_score: 9.8, cwe_ids: ['CWE-22'], unsupported_only: false },
    });
    expect(first.references).toEqual([
      { type: 'ADVISORY', url: 'http://localhost:8080/advisories/SBX-2026-0001.html' },
      { type: 'FIX', url: 'https://example.org/commit/1' },
      { type: 'WEB', url: 'https://example.org/post' },
    ]);
    expect(first.affected).toHaveLength(1);
    expect(first.affected[0].package).toEqual({ ecosystem: 'npm', name: 'scalebox-sdk', purl: 'pkg:npm/scalebox-sdk' });
    expect(first.affected[0].ranges.map((r: OsvRange) => r.events)).toEqual([
      [{ introduced: '0' }, { fixed: '1.0.0' }],
      [{ introduced: '1.1.0' }, { fixed: '1.1.5' }],
      [{ introduced: '1.3.0' }, { last_affected: '1.3.2' }],
    ]);
    expect(first.details).toMatch(/^Something bad can happen\.\n\n## Impact/);
  });

  it('mark a withdrawn advisory with `withdrawn`, its reason in the summary, and CVSS 4.0 as CVSS_V4', () => {
    const record = readJson(out, 'osv/SBX-2026-0002.json');
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    expect(record.withdrawn).toBe('2026-04-01T00:00:00Z');
    expect(record.modified).toBe('2026-04-01T00:00:00Z');
    expect(record.summary).toMatch(/^Withdrawn: Duplicate of SBX-2026-0001/);
    expect(record.database_specific.withdrawn_reason).toBe('Duplicate of SBX-2026-0001');
    expect(record.severity).toEqual([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N' }]);
  });

  it('osv/all.zip holds every record under its OSV id, byte for byte', () => {
    const files = readTree(out);
    const zip = unzipSync(files.get('osv/all.zip')!);
    expect(Object.keys(zip)).toEqual(['x_SBX-2026-0001.json', 'x_SBX-2026-0002.json']);
    for (const [name, bytes] of Object.entries(zip)) {
      expect(Buffer.from(bytes).equals(files.get(`osv/${name.slice(2)}`)!)).toBe(true);
    }
  });

  it("every record of the repo's own advisories validates", async () => {
    const dir = join(out, '..', 'repo');
    const r = await build(repoRoot, dir);
    expect(r.code, r.stderr).toBe(0);
    const records = [...readTree(dir)].filter(([p]) => p.startsWith('osv/') && p.endsWith('.json'));
    expect(records.length).toBeGreaterThan(0);
    for (const [path, bytes] of records) expect(validate(JSON.parse(bytes.toString('utf8'))), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });
});
