import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIdentities } from '../../src/check/sealed.ts';
import { cli, NOW } from '../helpers/project.ts';

const root = new URL('../..', import.meta.url).pathname;

describe("the repo's own advisories", () => {
  it('pass `advisories check` and the embargoed one is named as embargoed', async () => {
    const r = await cli(['check', '--root', root, '--now', NOW]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/advisories\/SBX-2026-0007\.md:\d+:\d+\s+info\s+Embargoed until 2026-12-14T14:00:00Z.*embargoed/);
    expect(r.stdout).toContain('0 errors');
  });

  it('cover every kind the project promises: each severity, CVSS 3.1 and 4.0, embargoed, withdrawn, unsupported-only, updated', async () => {
    const { loadProject } = await import('../../src/check/project.ts');
    // SBX-2026-0007 is sealed for the demo's key, committed on purpose (examples/demo-age-key.txt).
    const identities = parseIdentities(readFileSync(new URL('../../examples/demo-age-key.txt', import.meta.url), 'utf8'));
    const p = await loadProject({ root, now: new Date(NOW), keys: { identities } });
    const a = p.advisories;
    expect(new Set(a.map((x) => x.severity))).toEqual(new Set(['critical', 'high', 'medium', 'low']));
    expect(a.some((x) => x.cvssScore?.version === '3.1')).toBe(true);
    expect(a.some((x) => x.cvssScore?.version === '4.0')).toBe(true);
    expect(a.filter((x) => x.embargoed).map((x) => x.id)).toEqual(['SBX-2026-0007']);
    expect(a.some((x) => x.withdrawn)).toBe(true);
    expect(a.some((x) => x.unsupportedOnly)).toBe(true);
    expect(a.some((x) => x.modified > x.published)).toBe(true);
  });

  it('prints the policy parsed from SECURITY.md', async () => {
    const r = await cli(['policy', '--root', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1\.x\.x\s+supported\s+>=1\.0\.0 <2\.0\.0-0/);
    expect(r.stdout).toMatch(/< 1\.0\s+not supported/);
    expect(r.stdout).toMatch(/high\s+Within 7 days\s+at most 7 days/);
    expect(r.stdout).toMatch(/low\s+Next regular release\s+no deadline/);
  });
});
