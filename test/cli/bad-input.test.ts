// Bad input gets a clear message naming the file and line, and an exit code; never a stack trace.
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advisory, cli, DEFAULT_BODY, NOW, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const A = 'advisories/SBX-2026-0001.md';

async function checkText(files: Record<string, string | Buffer>, options?: Parameters<typeof tempProject>[1]) {
  project = tempProject(files, options);
  return cli(['check', '--root', project.root, '--now', NOW]);
}

describe('bad advisory files', () => {
  it('malformed YAML: the line and column of the syntax error', async () => {
    const r = await checkText({ [A]: '---\nid: SBX-2026-0001\ntitle: "unterminated\nseverity: high\n---\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/advisories\/SBX-2026-0001\.md:4:15\s+error\s+Invalid YAML: Missing closing "quote\s+yaml-syntax/);
    expect(r.stdout).toContain('fix: Quote values');
  });

  it('a duplicate key is a YAML error at the second key', async () => {
    const r = await checkText({ [A]: advisory('SBX-2026-0001', { title: 'one' }).replace('summary:', 'title: two\nsummary:') });
    expect(r.stdout).toMatch(/SBX-2026-0001\.md:4:1\s+error\s+Invalid YAML: Map keys must be unique/);
  });

  it('a frontmatter fence that never closes', async () => {
    const r = await checkText({ [A]: '---\nid: SBX-2026-0001\ntitle: x\n\n## Impact\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SBX-2026-0001\.md:1:1\s+error\s+The frontmatter fence `---` is never closed\s+frontmatter-unclosed/);
  });

  it('no frontmatter at all', async () => {
    const r = await checkText({ [A]: '# Just a heading\n' });
    expect(r.stdout).toMatch(/1:1\s+error\s+The advisory has no YAML frontmatter\s+frontmatter-missing/);
  });

  it('an empty file', async () => {
    const r = await checkText({ [A]: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SBX-2026-0001\.md:1:1\s+error\s+The advisory file is empty\s+file-empty/);
  });

  it('a binary file', async () => {
    const r = await checkText({ [A]: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]) });
    expect(r.stdout).toMatch(/error\s+The file is not text: it contains NUL bytes\s+file-binary/);
  });

  it('a non-UTF-8 file', async () => {
    const r = await checkText({ [A]: Buffer.from(advisory('SBX-2026-0001', { title: 'caf\u00e9' }), 'latin1') });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error\s+The file is not valid UTF-8\s+file-encoding/);
  });

  it('a file over 1 MiB is refused before it is read', async () => {
    const big = advisory('SBX-2026-0001', {}, DEFAULT_BODY + 'x'.repeat(1024 * 1024));
    const r = await checkText({ [A]: big });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error\s+The file is \d+ bytes, over the 1048576-byte limit for one advisory\s+file-too-large/);
  });

  it('a symlink that points outside advisories/', async () => {
    project = tempProject({ 'secret.md': advisory('SBX-2026-0001') });
    symlinkSync(join(project.root, 'secret.md'), join(project.root, A));
    const r = await cli(['check', '--root', project.root, '--now', NOW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SBX-2026-0001\.md:1:1\s+error\s+The symbolic link points outside advisories\/ \(to secret\.md\)\s+symlink-outside/);
  });

  it('a symlink inside advisories/ is followed', async () => {
    project = tempProject({ 'advisories/drafts/SBX-2026-0001.md': advisory('SBX-2026-0001') });
    symlinkSync(join(project.root, 'advisories/drafts/SBX-2026-0001.md'), join(project.root, A));
    const r = await cli(['check', '--root', project.root, '--now', NOW]);
    expect(r.code, r.stdout).toBe(0);
  });

  it('CRLF line endings and a UTF-8 BOM are accepted, with the same positions', async () => {
    const text = '\uFEFF' + advisory('SBX-2026-0001', { severity: 'urgent' }).replace(/\n/g, '\r\n');
    const r = await checkText({ [A]: text });
    expect(r.stdout).toMatch(/SBX-2026-0001\.md:5:11\s+error\s+`severity`/);
    const ok = await checkText({ [A]: '\uFEFF' + advisory('SBX-2026-0001').replace(/\n/g, '\r\n') });
    expect(ok.code, ok.stdout).toBe(0);
  });

  it('frontmatter that is a list, not a mapping', async () => {
    const r = await checkText({ [A]: '---\n- a\n- b\n---\n' + DEFAULT_BODY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/schema-required/);
  });
});

describe('bad project files', () => {
  it('SECURITY.md missing', async () => {
    const r = await checkText({ [A]: advisory('SBX-2026-0001') }, { policy: null });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SECURITY\.md:1:1\s+error\s+SECURITY\.md is missing \(looked in \.github\/, the project root and docs\/, as GitHub does\)\s+policy-missing/);
  });

  it('SECURITY.md without a supported-versions table', async () => {
    const r = await checkText({ [A]: advisory('SBX-2026-0001') }, { policy: '# Security\n\nMail us.\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SECURITY\.md:1:1\s+error\s+SECURITY\.md has no supported-versions table.*policy-no-supported-table/);
    expect(r.stdout).toContain('## Supported Versions');
  });

  it('a supported-versions row with a bad version or mark names the row line', async () => {
    const policy = '## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 2.x | ✅ |\n| banana | yes |\n| 1.x | maybe |\n';
    const r = await checkText({}, { policy });
    expect(r.stdout).toMatch(/SECURITY\.md:6:1\s+error\s+Supported-versions row `banana \| yes`: `banana` is not a semver range/);
    expect(r.stdout).toMatch(/SECURITY\.md:7:7\s+error\s+.*`maybe` is neither a yes nor a no mark/);
  });

  it('accepts yes/no and emoji marks alike', async () => {
    const policy = '## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 2.x | yes |\n| 1.x.x | ✅ |\n| < 1.0 | ❌ |\n| 0.9 | no |\n';
    project = tempProject({}, { policy });
    const r = await cli(['policy', '--root', project.root, '--format', 'json']);
    const parsed = JSON.parse(r.stdout) as { lines: { spec: string; supported: boolean }[] };
    expect(parsed.lines.map((l) => [l.spec, l.supported])).toEqual([['2.x', true], ['1.x.x', true], ['< 1.0', false], ['0.9', false]]);
  });

  it('an unreadable advisories folder', async () => {
    project = tempProject({});
    rmSync(join(project.root, 'advisories'), { recursive: true });
    writeFileSync(join(project.root, 'advisories'), 'not a folder');
    const r = await cli(['check', '--root', project.root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/advisories\/:1:1\s+error\s+Cannot read the advisories folder: ENOTDIR\s+file-unreadable/);
  });

  it('an invalid config exits 2 naming the file, line and field', async () => {
    const r = await checkText({}, { config: { siteUrl: 'not a url', idPrefx: 'SBX' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/advisories\.config\.json:2:14\s+error\s+`siteUrl`: must be an https: or http: URL \(no javascript:, data: or other schemes\)/);
    expect(r.stdout).toMatch(/advisories\.config\.json:1:1\s+error\s+`idPrefx`: Unrecognized key/);
  });
});

describe('usage errors exit 2 with a message', () => {
  it('an unknown --format', async () => {
    const r = await cli(['check', '--format', 'xml']);
    expect(r).toMatchObject({ code: 2, stderr: 'advisories check: --format must be one of text, json, github, not "xml"\n' });
  });

  it('a bad --now', async () => {
    const r = await cli(['check', '--now', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--now "yesterday" is not an ISO 8601 timestamp');
  });

  it('an unknown option', async () => {
    const r = await cli(['check', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--bogus'/);
  });

  it('an unknown command', async () => {
    const r = await cli(['publish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown command "publish"');
  });

  it('the real binary prints no stack trace for a user error', () => {
    project = tempProject({ [A]: '---\nid: [\n---\n' }, { policy: null });
    const r = spawnSync(process.execPath, ['bin/advisories.js', 'check', '--root', project.root], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(/);
    expect(r.stdout).toContain('yaml-syntax');
  });
});

describe('output formats', () => {
  it('github annotations with file, line and column', async () => {
    project = tempProject({ [A]: advisory('SBX-2026-0001', { severity: 'urgent' }) });
    const r = await cli(['check', '--root', project.root, '--format', 'github', '--now', NOW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=advisories\/SBX-2026-0001\.md,line=5,col=11,endLine=5,title=schema-invalid::`severity`: /m);
  });

});

describe('configuration in package.json', () => {
  it('is read from the "advisories" key, with positions into package.json', async () => {
    project = tempProject({ 'package.json': '{\n  "name": "x",\n  "advisories": {\n    "idPrefix": "sbx"\n  }\n}\n' }, { config: null });
    const r = await cli(['check', '--root', project.root]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/package\.json:4:17\s+error\s+`idPrefix`: must be upper-case letters and digits/);
  });
});
