// Ecosystem names as OSV spells them (with did-you-mean), aliases of every database OSV registers,
// and the prefixes the tests take from the vendored OSV schema, so that the two lists cannot part.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { OSV_ECOSYSTEMS, OSV_ID_PREFIXES } from '../../src/core/ecosystems/names.ts';
import { advisory, checkJson, tempProject, type TempProject } from '../helpers/project.ts';

const osvSchema = JSON.parse(readFileSync(new URL('../schemas/osv-schema.json', import.meta.url), 'utf8'));

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

async function check(fields: Record<string, string>, config?: object) {
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', fields) }, config ? { config } : {});
  return checkJson(project.root);
}

describe('OSV names and prefixes', () => {
  it('are those of the vendored OSV schema', () => {
    expect([...OSV_ECOSYSTEMS]).toEqual(osvSchema.$defs.ecosystemName.enum);
    const pattern: string = osvSchema.$defs.prefix.pattern;
    const listed = pattern.slice(pattern.indexOf('|(') + 2, pattern.lastIndexOf(')-)')).replace('SUSE-[SRFO]U', 'SUSE-SU|SUSE-RU|SUSE-FU|SUSE-OU').split('|');
    expect([...OSV_ID_PREFIXES].sort()).toEqual(listed.sort());
  });
});

describe('the ecosystem of an advisory', () => {
  it('`pypi` in lower case is an error that names PyPI', async () => {
    const r = await check({ ecosystem: 'pypi', affected: '">=1.0,<1.2.0"' });
    const d = r.diagnostics.find((x) => x.ruleId === 'schema-invalid');
    expect(d, JSON.stringify(r.diagnostics)).toMatchObject({ line: 10, column: 12 });
    expect(d!.message).toContain('`pypi` is not an OSV ecosystem name (they are case-sensitive); did you mean `PyPI`?');
    expect(r.code).toBe(1);
  });

  it('a misspelt name gets the nearest one, and a suffix is allowed as OSV allows it', async () => {
    expect((await check({ ecosystem: 'crates' })).diagnostics.map((d) => d.message).join()).toContain('did you mean `crates.io`?');
    expect((await check({ ecosystem: 'Debian:12' })).diagnostics).toEqual([]);
  });

  it('in the config, too', async () => {
    const r = await check({}, { package: 'scalebox-sdk', idPrefix: 'SBX', ecosystem: 'Rubygems' });
    expect(r.diagnostics.map((d) => [d.file, d.ruleId])).toContainEqual(['advisories.config.json', 'config-invalid']);
    expect(r.diagnostics.map((d) => d.message).join()).toContain('did you mean `RubyGems`?');
  });
});

describe('aliases', () => {
  it('take PYSEC-, GO-, RUSTSEC-, OSV- and the other prefixes OSV registers', async () => {
    const r = await check({ aliases: '[PYSEC-2024-12, GO-2024-2611, RUSTSEC-2024-0001, OSV-2021-123, CVE-2026-1234, GHSA-2345-6789-cfgh, DLA-3421-1, openSUSE-SU-2024:0001-1]' });
    expect(r.diagnostics).toEqual([]);
  });
  it('refuse an unregistered prefix and a malformed CVE', async () => {
    const r = await check({ aliases: '[ACME-2024-1, CVE-24-1]' });
    expect(r.diagnostics.filter((d) => d.ruleId === 'schema-invalid')).toHaveLength(2);
  });

  it('a malformed GHSA or CVE id, or a prefix in the wrong case, is told the form it needs', async () => {
    const r = await check({ aliases: '[GHSA-abcd-efgh-ijkl, cve-2026-1234, pysec-2026-7, ACME-2024-1]' });
    const messages = r.diagnostics.filter((d) => d.ruleId === 'schema-invalid').map((d) => d.message);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toContain('a GHSA id is GHSA-xxxx-xxxx-xxxx, each x one of 23456789cfghjmpqrvwx');
    expect(messages[1]).toContain('a CVE id is CVE-YYYY-NNNN, in capitals');
    expect(messages[2]).toContain('write the prefix as OSV registers it: PYSEC-2026-7');
    expect(messages[3]).toMatch(/OSV knows: CVE-…, GHSA-…, PYSEC-…, GO-…, RUSTSEC-…, OSV-…$/);
  });
});
