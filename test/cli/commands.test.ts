import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/core/json-schemas.ts';
import { advisory, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('advisories new', () => {
  it('writes the next free id of the year, a template whose placeholders fail check until they are replaced', async () => {
    project = tempProject({
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'),
      'advisories/SBX-2026-0007.md': advisory('SBX-2026-0007'),
      'advisories/SBX-2025-0042.md': advisory('SBX-2025-0042'),
    }, { config: { package: 'scalebox-sdk', idPrefix: 'SBX', visibility: 'private' } });
    const r = await cli(['new', '--root', project.root, '--title', 'Token leak in retries', '--severity', 'high', '--now', NOW]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('advisories/SBX-2026-0008.md');
    const text = project.read('advisories/SBX-2026-0008.md');
    // The tool is not inside this project: the schema by URL, at the tool's version (a path would lead nowhere).
    expect(text).toMatch(/# yaml-language-server: \$schema=https:\/\/raw\.githubusercontent\.com\/scalebox-dev\/advisories\/v\d+\.\d+\.\d+\/schema\/advisory\.schema\.json\n/);
    expect(text).toContain('title: Token leak in retries');
    // A fresh draft is embargoed (published next year), and every placeholder is an error until edited.
    const check = await cli(['check', '--root', project.root, '--now', NOW, '--format', 'json']);
    expect(check.code).toBe(1);
    const problems = (JSON.parse(check.stdout) as { file: string; ruleId: string; line: number; message: string }[]).filter((d) => d.file.endsWith('0008.md'));
    expect(problems.filter((d) => d.ruleId !== 'placeholder-text').map((d) => d.ruleId)).toEqual(['embargoed']);
    const placeholders = problems.filter((d) => d.ruleId === 'placeholder-text').map((d) => d.message.replace(/ still holds.*/, ''));
    expect(placeholders).toEqual(expect.arrayContaining(['`summary`', '`affected`', '`## Impact`', '`## Patches`']));
    // The other advisories are untouched by the draft.
    const others = (JSON.parse(check.stdout) as { file: string }[]).filter((d) => !d.file.endsWith('0008.md'));
    expect(others).toEqual([]);
    // Once the placeholders are replaced, it passes.
    const edited = text
      .replace(/TODO: one sentence a user can act on\./, 'Retries logged the token.')
      .replace(/ # TODO: the real versions/g, '')
      .replace(/TODO: /g, '')
      .replace(/- links to the fix and the report/, '- https://example.com/fix');
    project.write('advisories/SBX-2026-0008.md', edited);
    const again = await cli(['check', '--root', project.root, '--now', NOW, '--format', 'json']);
    expect((JSON.parse(again.stdout) as { ruleId: string }[]).map((d) => d.ruleId)).toEqual(['embargoed']);
  });

  it('starts at 0001 in a new year and refuses to overwrite', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') });
    const r = await cli(['new', '--root', project.root, '--title', 'A', '--severity', 'low', '--now', '2027-01-02T00:00:00Z']);
    expect(r.stdout).toContain('SBX-2027-0001');
    // Same second, same id: the second call must not clobber the first.
    project.write('advisories/SBX-2027-0002.md', 'keep me');
    const again = await cli(['new', '--root', project.root, '--title', 'B', '--severity', 'low', '--now', '2027-01-02T00:00:00Z']);
    expect(again.stdout).toContain('SBX-2027-0003');
    expect(project.read('advisories/SBX-2027-0002.md')).toBe('keep me');
  });

  it('rejects a missing title, a bad severity and a title with a line break', async () => {
    expect((await cli(['new', '--severity', 'high'])).code).toBe(2);
    expect((await cli(['new', '--title', 'x', '--severity', 'urgent'])).stderr).toContain('--severity must be one of critical, high, medium, low');
    expect((await cli(['new', '--title', 'a\nBcc: x', '--severity', 'high'])).stderr).toContain('one line');
    const rlo = await cli(['new', '--title', 'Fix \u202Egnp.exe', '--severity', 'high']);
    expect(rlo.code).toBe(2);
    expect(rlo.stderr).toContain('it contains the invisible character U+202E RIGHT-TO-LEFT OVERRIDE');
  });
});

describe('advisories affected', () => {
  const files = () => ({
    'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { affected: '">=1.0.0 <1.2.0"', patched: '[1.2.0]', severity: 'high' }),
    'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { affected: '">=1.1.0 <1.3.1"', patched: '[1.3.1]', severity: 'medium', reported: '2026-03-01' }),
    'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', { affected: '">=1.3.0 <1.4.0"', patched: '[1.4.0]', reported: '2026-12-28', published: '2027-01-01T00:00:00Z' }),
    'advisories/SBX-2026-0004.md': advisory('SBX-2026-0004', { withdrawn: '\n  at: 2026-04-01T00:00:00Z\n  reason: not a bug' }),
  });

  it('lists the published advisories that affect a version, with the upgrade, and exits 1', async () => {
    project = tempProject(files());
    const r = await cli(['affected', '1.1.5', '--root', project.root, '--now', NOW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1.1.5 is affected by 2 advisories');
    expect(r.stdout).toMatch(/SBX-2026-0001\s+HIGH\s+.*upgrade to 1\.2\.0/);
    expect(r.stdout).toMatch(/SBX-2026-0002\s+MEDIUM\s+.*upgrade to 1\.3\.1/);
    // Embargoed and withdrawn advisories are not named.
    expect(r.stdout).not.toContain('SBX-2026-0003');
    expect(r.stdout).not.toContain('SBX-2026-0004');
  });

  it('at the edges: the first affected version is affected, the fixed version is not', async () => {
    project = tempProject(files());
    expect((await cli(['affected', '1.0.0', '--root', project.root, '--now', NOW])).code).toBe(1);
    const fixed = await cli(['affected', '1.3.1', '--root', project.root, '--now', NOW]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('1.3.1 is not affected');
    // Once the embargo lifts, the advisory counts.
    expect((await cli(['affected', '1.3.1', '--root', project.root, '--now', '2027-01-02T00:00:00Z'])).code).toBe(1);
  });

  it('an invalid version is a usage error', async () => {
    const r = await cli(['affected', 'latest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"latest" is not a version');
  });
});

describe('the published JSON Schemas', () => {
  it('are up to date with the zod schemas (run `npm run schema` when this fails)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8'));
      expect(committed, name).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describe every frontmatter field and forbid unknown ones', () => {
    const schema = jsonSchemas()['advisory.schema.json'] as { properties: Record<string, { description?: string }>; additionalProperties: boolean; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'title', 'summary', 'severity', 'affected', 'reported', 'published']));
    for (const [key, prop] of Object.entries(schema.properties)) expect(prop.description, key).toBeTruthy();
  });
});
