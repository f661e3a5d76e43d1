// `advisories new` for a project that is not on npm: placeholders in the ecosystem's notation.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('advisories new --ecosystem', () => {
  it('without a config: a PyPI draft with a PEP 440 range, pip advice and an id prefix from the package', async () => {
    project = tempProject({}, { config: null });
    const r = await cli(['new', '--root', project.root, '--title', 'Token leak', '--severity', 'high', '--ecosystem', 'PyPI', '--package', 'acme-sdk', '--now', NOW]);
    expect(r.code, r.stderr).toBe(0);
    const text = project.read('advisories/ACME-2026-0001.md');
    expect(text).toContain('package: acme-sdk\necosystem: PyPI\naffected: # TODO: the real versions\n  - ">=1.0.0,<1.0.1"\n');
    expect(text).toContain('Upgrade with `pip install --upgrade "acme-sdk>=1.0.1"`.');
    // The tool is outside the project (as npx runs it): the editor's schema is the tool's, at this version, by URL,
    // not a path that does not exist in the project.
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(text).toContain(`# yaml-language-server: $schema=https://raw.githubusercontent.com/scalebox-dev/advisories/v${version}/schema/advisory.schema.json\n`);
    const check = await cli(['check', '--root', project.root, '--now', NOW, '--format', 'json']);
    // The PEP 440 placeholders read as valid versions: the only findings are that the draft is embargoed (and,
    // in a public repository, not yet sealed) and still holds the scaffold's placeholders.
    const ids = (JSON.parse(check.stdout) as { ruleId: string }[]).map((d) => d.ruleId);
    expect(ids).toContain('embargoed');
    expect(ids.filter((id) => !['embargoed', 'embargo-clear', 'placeholder-text'].includes(id))).toEqual([]);
  });

  it('from the config: a Maven range and the coordinates', async () => {
    project = tempProject({}, { config: { package: 'org.acme:acme-core', ecosystem: 'Maven' } });
    const r = await cli(['new', '--root', project.root, '--title', 'XXE', '--severity', 'low', '--now', NOW]);
    expect(r.code, r.stderr).toBe(0);
    const text = project.read('advisories/ORG-2026-0001.md');
    expect(text).toContain('  - "[1.0.0,1.0.1)"');
    expect(text).not.toContain('ecosystem:');
    expect(text).toContain('Upgrade with `org.acme:acme-core:1.0.1`.');
  });

  it('refuses a name OSV does not know, with the one it meant', async () => {
    project = tempProject({}, { config: null });
    const r = await cli(['new', '--root', project.root, '--title', 'x', '--severity', 'low', '--ecosystem', 'pypi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean `PyPI`?');
  });
});
