// Every CSAF document the build writes passes the OASIS reference validator (schema and mandatory
// tests): this repository's own advisories (a withdrawn one among them) and fixture projects that reach
// every branch of the document: each ecosystem, CVSS 3.1 and 4.0 and none, several CVEs and CWEs, an
// unknown CWE, unsupported-only, several ranges, credits and references. The informative tests are printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CWE_NAMES } from '../../src/render/csaf/cwe-names.ts';
import { CWE_LIST, validateCsaf } from '../helpers/csaf.ts';
import { advisory, tempProject, type TempProject } from '../helpers/project.ts';
import { build, readTree } from '../helpers/site.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const projects: TempProject[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const p of projects) p.cleanup();
});
const outDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'csaf-site-'));
  dirs.push(d);
  return join(d, 'site');
};

const isDocument = (path: string) => /^\.well-known\/csaf\/white\/\d{4}\/[^/]+\.json$/.test(path);

async function validateAll(site: Map<string, Buffer>) {
  const docs = [...site].filter(([p]) => isDocument(p));
  const verdicts: [string, Awaited<ReturnType<typeof validateCsaf>>][] = [];
  for (const [path, bytes] of docs) verdicts.push([path, await validateCsaf(JSON.parse(bytes.toString('utf8')))]);
  for (const [path, v] of verdicts) if (v.informative.length) console.log(`${path} informative:\n  ${v.informative.join('\n  ')}`);
  return verdicts;
}

const fixtures: Record<string, string> = {
  // CVSS 3.1, two CVEs and a GHSA, two named CWEs and an unknown one, credits and references.
  'advisories/SBX-2026-0101.md': advisory('SBX-2026-0101', {
    cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
    severity: 'critical',
    aliases: '[CVE-2026-1111, CVE-2026-2222, GHSA-4x7q-9rjm-c2vw]',
    cwe: '[CWE-79, CWE-352, CWE-999999]',
    credits: '[{name: "Ana Ruiz", type: reporter}, Bo Chen]',
    references: '[{type: fix, url: "https://example.com/fix"}, "https://example.com/blog"]',
  }),
  // CVSS 4.0 (a note in CSAF 2.0), two ranges on two lines, a scoped npm package.
  'advisories/SBX-2026-0102.md': advisory('SBX-2026-0102', {
    cvss: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
    package: '"@scalebox/sdk-core"',
    affected: '[">=1.0.0 <1.2.0", "<0.9.5"]',
    patched: '[1.2.0]',
  }),
  // Only an unsupported line: no fix planned.
  'advisories/SBX-2026-0103.md': advisory('SBX-2026-0103', { severity: 'low', affected: '"<0.9.0"', patched: '[]' }),
  // Other ecosystems: their purls and vers schemes, ranges in each one's own notation.
  'advisories/SBX-2026-0104.md': advisory('SBX-2026-0104', { ecosystem: 'PyPI', package: 'Scale_Box.SDK', affected: '">=1.0.0,<1.2.0"' }),
  'advisories/SBX-2026-0105.md': advisory('SBX-2026-0105', { ecosystem: 'Go', package: 'github.com/scalebox/sdk-go' }),
  'advisories/SBX-2026-0106.md': advisory('SBX-2026-0106', { ecosystem: 'crates.io', package: 'scalebox' }),
  'advisories/SBX-2026-0107.md': advisory('SBX-2026-0107', { ecosystem: 'Maven', package: 'dev.scalebox:sdk', affected: '"[1.0.0,1.2.0)"' }),
  'advisories/SBX-2026-0108.md': advisory('SBX-2026-0108', { ecosystem: 'RubyGems', package: 'scalebox', affected: '"1.1.0"' }),
  // Withdrawn, with an upper bound that is a last affected version; a body with HTML (the tags go, the
  // words stay: plain text in JSON runs nothing) and a list.
  'advisories/SBX-2026-0109.md': advisory(
    'SBX-2026-0109',
    { affected: '">=1.0.0 <=1.1.9"', withdrawn: '{at: 2026-03-09T00:00:00Z, reason: "Not exploitable"}' },
    '## Impact\n\nSome <b>bold</b> words and <script>alert(1)</script>.\n\n- one\n- two\n\n## Patches\n\nUpgrade.\n',
  ),
};

describe('CSAF documents', () => {
  it("this repository's own advisories, the withdrawn one too, pass the validator's schema and mandatory tests", async () => {
    const out = outDir();
    const r = await build(repoRoot, out, '2026-12-01T00:00:00Z');
    expect(r.code, r.stderr).toBe(0);
    const verdicts = await validateAll(readTree(out));
    expect(verdicts.map(([p]) => p)).toContain('.well-known/csaf/white/2026/sbx-2026-0006.json'); // withdrawn
    expect(verdicts.length).toBe(6);
    for (const [path, v] of verdicts) expect(v.errors, path).toEqual([]);
    expect(verdicts[0]![1].testsRun).toBeGreaterThan(40);
  });

  it('fixture projects reaching every part of the document pass too, and say what the model says', async () => {
    const project = tempProject(fixtures, { config: { package: 'scalebox-sdk', idPrefix: 'SBX', siteUrl: 'https://security.example.com/' } });
    projects.push(project);
    const out = outDir();
    const r = await build(project.root, out);
    expect(r.code, r.stderr).toBe(0);
    const site = readTree(out);
    const verdicts = await validateAll(site);
    expect(verdicts.length).toBe(Object.keys(fixtures).length);
    for (const [path, v] of verdicts) expect(v.errors, path).toEqual([]);

    const doc = (id: string) => JSON.parse(site.get(`.well-known/csaf/white/2026/${id.toLowerCase()}.json`)!.toString());
    const leaves = (d: any) => d.product_tree.branches[0].branches[0].branches as { category: string; name: string; product: any }[];

    const first = doc('SBX-2026-0101').vulnerabilities[0];
    expect(first.cve).toBe('CVE-2026-1111');
    expect(first.ids.map((i: any) => i.text)).toEqual(['SBX-2026-0101', 'CVE-2026-2222', 'GHSA-4x7q-9rjm-c2vw']);
    expect(first.cwe).toEqual({ id: 'CWE-79', name: CWE_NAMES['CWE-79'] });
    expect(first.notes.map((n: any) => n.text)).toContain('CWE-352, CWE-999999');
    expect(first.scores[0].cvss_v3).toMatchObject({ version: '3.1', baseSeverity: 'CRITICAL' });
    expect(first.acknowledgments).toEqual([{ names: ['Ana Ruiz'], summary: 'reporter' }, { names: ['Bo Chen'] }]);
    expect(first.remediations).toEqual([expect.objectContaining({ category: 'vendor_fix', details: 'Upgrade to 1.2.0 or later: npm install scalebox-sdk@1.2.0', product_ids: ['affected-1'] })]);

    const scoped = doc('SBX-2026-0102');
    expect(scoped.vulnerabilities[0].scores).toBeUndefined();
    expect(scoped.vulnerabilities[0].notes.find((n: any) => n.title === 'CVSS v4.0').text).toMatch(/^CVSS:4\.0\/AV:N.* \(base score \d+\.\d, \w+\)$/);
    expect(leaves(scoped).map((b) => [b.category, b.name, b.product.product_identification_helper?.purl])).toEqual([
      ['product_version_range', 'vers:npm/<0.9.5', 'pkg:npm/%40scalebox/sdk-core'],
      ['product_version_range', 'vers:npm/>=1.0.0|<1.2.0', 'pkg:npm/%40scalebox/sdk-core'],
      ['product_version', '1.2.0', 'pkg:npm/%40scalebox/sdk-core@1.2.0'],
    ]);
    // <0.9.5 has no patched release above it on its own line: 1.2.0 is still the upgrade for it.
    expect(scoped.vulnerabilities[0].remediations).toEqual([expect.objectContaining({ category: 'vendor_fix', product_ids: ['affected-1', 'affected-2'] })]);

    const unsupported = doc('SBX-2026-0103').vulnerabilities[0];
    expect(unsupported.product_status).toEqual({ known_affected: ['affected-1'] });
    expect(unsupported.remediations).toEqual([expect.objectContaining({ category: 'no_fix_planned', product_ids: ['affected-1'] })]);
    expect(unsupported.remediations[0].details).toContain('no longer supported');

    expect(leaves(doc('SBX-2026-0104')).map((b) => b.product.product_identification_helper.purl)).toEqual(['pkg:pypi/scale-box-sdk', 'pkg:pypi/scale-box-sdk@1.2.0']);
    expect(leaves(doc('SBX-2026-0104'))[0]!.name).toBe('vers:pypi/>=1.0.0|<1.2.0');
    expect(leaves(doc('SBX-2026-0105'))[1]!.product.product_identification_helper.purl).toBe('pkg:golang/github.com/scalebox/sdk-go@1.2.0');
    expect(leaves(doc('SBX-2026-0106'))[0]!.name).toBe('vers:cargo/>=1.0.0|<1.2.0');
    expect(leaves(doc('SBX-2026-0107'))[1]!.product.product_identification_helper.purl).toBe('pkg:maven/dev.scalebox/sdk@1.2.0');
    expect(leaves(doc('SBX-2026-0108'))[0]!.name).toBe('vers:gem/1.1.0');

    const withdrawn = doc('SBX-2026-0109');
    expect(withdrawn.document.notes[0]).toEqual({ category: 'general', text: 'This advisory was withdrawn on 2026-03-09: Not exploitable', title: 'Withdrawn' });
    expect(withdrawn.document.tracking).toMatchObject({
      status: 'final',
      version: '2',
      initial_release_date: '2026-03-02T10:00:00Z',
      current_release_date: '2026-03-09T00:00:00Z',
      revision_history: [
        { date: '2026-03-02T10:00:00Z', number: '1', summary: 'Initial version' },
        { date: '2026-03-09T00:00:00Z', number: '2', summary: 'Withdrawn: Not exploitable' },
      ],
    });
    const details = withdrawn.document.notes.find((n: any) => n.category === 'description').text;
    expect(details).toBe('Impact\n\nSome bold words and alert(1).\n\n- one\n- two\n\nPatches\n\nUpgrade.');
    expect(leaves(withdrawn)[0]!.name).toBe('vers:npm/>=1.0.0|<=1.1.9');
  });

  it('names each CWE as the validator’s CWE list does (the copy in src/ has not drifted)', () => {
    expect(Object.fromEntries(CWE_LIST.map((w) => [w.id, w.name]))).toEqual(CWE_NAMES);
  });
});
