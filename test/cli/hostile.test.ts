// What an attack on check, build and notify found, one class per block, each with inputs of its own:
// the exit code, the rule id, file, line and message, and that the rest of the run went on unharmed
// (the other advisories checked, reported, and mailed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advisory, checkJson, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { build } from '../helpers/site.ts';
import { csv, mailConfig, SECRET } from '../helpers/smtp.ts';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const GOOD = 'advisories/SBX-2026-0001.md';
const OTHER = 'advisories/SBX-2026-0002.md';
const BAD = 'advisories/SBX-2026-0003.md';

/** A good advisory, one with an ordinary error, and the hostile one: the first two must come through as usual. */
function withNeighbours(hostile: Record<string, string | Buffer>, options: Parameters<typeof tempProject>[1] = {}) {
  project = tempProject(
    { [GOOD]: advisory('SBX-2026-0001'), [OTHER]: advisory('SBX-2026-0002', { affected: '"nope"' }), 'subscribers.csv': csv(['a@example.com,,']), ...hostile },
    { config: mailConfig(), ...options },
  );
  return project;
}

type Diagnostics = Awaited<ReturnType<typeof checkJson>>['diagnostics'];
/** The neighbours' diagnostics are exactly what they would be on their own. */
function neighboursUnharmed(diagnostics: Diagnostics) {
  expect(diagnostics.filter((d) => d.file === GOOD)).toEqual([]);
  expect(diagnostics.filter((d) => d.file === OTHER).map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['6:11 semver-range-invalid']);
}

/** notify (to outbox/) still mails the good advisory, and only it. */
async function goodOneMailed(root: string) {
  const r = await cli(['notify', '--root', root, '--now', NOW], { SUBSCRIBERS: join(root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).toContain('some advisories have errors and are not mailed');
  const mails = readdirSync(join(root, 'outbox')).filter((f) => f.endsWith('.eml'));
  expect(mails).toHaveLength(1);
  expect(readdirSync(join(root, 'outbox')).join()).not.toContain('0003');
}

/** build refuses the site (errors), and reports every file's problems instead of a stack trace. */
async function buildReportsAll(root: string, hostileRule: string) {
  const r = await build(root, join(root, 'site'));
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).toContain(hostileRule);
  expect(r.stderr).toMatch(/SBX-2026-0002\.md:6:11\s+error\s+`nope` is not a valid semver range/);
}

/** Nine levels of nine aliases: 9^9 values if expanded. */
function billionLaughs(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `---\nid: SBX-2026-0003\n${lines.join('\n')}\n---\n\n## Impact\n\nx\n\n## Patches\n\ny\n`;
}

describe('resource-exhaustion YAML', () => {
  it('nested aliases are a yaml-limit error at the first alias; check, build and notify go on with the other files', async () => {
    const p = withNeighbours({ [BAD]: billionLaughs() });
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    const d = r.diagnostics.filter((x) => x.file === BAD);
    expect(d).toEqual([
      expect.objectContaining({ line: 4, column: 10, ruleId: 'yaml-limit', severity: 'error', message: 'The frontmatter is too repetitive to read safely: its aliases (`*name`) expand to too many values' }),
    ]);
    expect(d[0]!.hint).toContain('Write each value out');
    neighboursUnharmed(r.diagnostics);
    await buildReportsAll(p.root, 'yaml-limit');
    await goodOneMailed(p.root);
  });
});

describe('YAML nested past what the parser reads', () => {
  it('lists nested thousands deep are a yaml-limit error at their field, not an engine message; the others go on', async () => {
    const deep = `${'['.repeat(5000)}CWE-79${']'.repeat(5000)}`;
    const p = withNeighbours({ [BAD]: advisory('SBX-2026-0003', { cwe: deep, title: 'After the deep one' }) });
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    const d = r.diagnostics.filter((x) => x.file === BAD);
    expect(d.map((x) => `${x.line}:${x.column} ${x.ruleId} ${x.message}`)).toEqual([
      '10:1 yaml-limit The frontmatter is too deeply nested to read safely: lists or maps are nested inside one another hundreds of levels deep',
    ]);
    expect(d[0]!.hint).toBe("Write the frontmatter as the flat fields of the README's reference.");
    neighboursUnharmed(r.diagnostics);
    await buildReportsAll(p.root, 'yaml-limit');
  });
});

describe('Markdown nested past what is parsed safely', () => {
  it('quotes nested 40 deep are a markdown-limit error at their line, found before any parse; the others go on', async () => {
    const p = withNeighbours({ [BAD]: advisory('SBX-2026-0003', {}, `## Impact\n\n${'>'.repeat(40)} deep\n\n## Patches\n\nUpgrade.\n`) });
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    expect(r.diagnostics.filter((x) => x.file === BAD).map((x) => `${x.line}:${x.column} ${x.ruleId} ${x.message}`)).toEqual([
      '14:1 markdown-limit The Markdown nests quotes or lists 40 levels deep, past the 16 that are read safely',
    ]);
    neighboursUnharmed(r.diagnostics);
    await goodOneMailed(p.root);
  });
});

describe('text that deceives the reader', () => {
  it('a right-to-left override in a title is an error naming U+202E, with the fix', async () => {
    const p = withNeighbours({ [BAD]: advisory('SBX-2026-0003', { title: '"Fix \\u202Egnp.exe"', credits: '\n  - name: "Eve\\u200B"' }) });
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    const d = r.diagnostics.filter((x) => x.file === BAD);
    expect(d.map((x) => `${x.line}:${x.column} ${x.ruleId} ${x.message}`)).toEqual([
      '3:8 header-unsafe-text `title` contains the invisible character U+202E RIGHT-TO-LEFT OVERRIDE',
      '11:11 header-unsafe-text `credits[0].name` contains the invisible character U+200B ZERO WIDTH SPACE',
    ]);
    expect(d[0]!.hint).toBe('Delete the invisible U+202E RIGHT-TO-LEFT OVERRIDE from `title` (retype the text around it): it reaches mail subjects, feeds and pages, where it can make the text read differently from what it is.');
    neighboursUnharmed(r.diagnostics);
    await goodOneMailed(p.root);
  });

  it('config values that reach headers: CR/LF in mail.from and an override in product exit 2 with the field, line and fix', async () => {
    project = tempProject({ [GOOD]: advisory('SBX-2026-0001') }, { config: { ...mailConfig(), product: 'Scale\u202Ebox', mail: { ...mailConfig().mail, from: 'X <a@b.c>\r\nBcc: victim@example.com' } } });
    const r = await cli(['check', '--root', project.root, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/advisories\.config\.json:\d+:\d+\s+error\s+`product`: contains the invisible character U\+202E RIGHT-TO-LEFT OVERRIDE\s+config-invalid/);
    expect(r.stdout).toMatch(/advisories\.config\.json:\d+:\d+\s+error\s+`mail\.from`: contains a line break\s+config-invalid\n\s+fix: Put the value on one line of plain text: it goes into mail headers/);
    // The config's valid fields still count: the advisory is not also told that its package (from the config) is missing.
    expect(r.stdout).not.toContain('SBX-2026-0001.md');
    expect(r.stdout).toContain('1 advisory checked: 0 with errors');
    const notify = await cli(['notify', '--root', project.root, '--now', NOW], {});
    expect(notify.code).toBe(2);
    expect(existsSync(join(project.root, 'outbox'))).toBe(false);
  });
});

describe('URLs with dangerous schemes outside `references`', () => {
  it('a javascript: contact of a credit is a schema error at the value; the other files are checked as usual', async () => {
    const p = withNeighbours({ [BAD]: advisory('SBX-2026-0003', { credits: '\n  - name: Mallory\n    contact: ["javascript:alert(document.domain)", "mailto:m@example.com"]' }) });
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    expect(r.diagnostics.filter((x) => x.file === BAD).map((x) => `${x.line}:${x.column} ${x.ruleId} ${x.message}`)).toEqual([
      '12:15 schema-invalid `credits[0].contact[0]`: must be an https:, http: or mailto: URL, or an e-mail address (no javascript:, data: or other schemes)',
    ]);
    neighboursUnharmed(r.diagnostics);
    await goodOneMailed(p.root);
  });
});

describe('URLs with dangerous schemes in references and the config', () => {
  it('javascript: and data: references, bare or as {type, url}, are named as refused schemes at their values', async () => {
    const refs = '\n  - "JaVaScRiPt:alert(1)"\n  - type: fix\n    url: "data:text/html;base64,PHNjcmlwdD4="';
    const p = withNeighbours({ [BAD]: advisory('SBX-2026-0003', { references: refs }) });
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    const scheme = 'must be an https: or http: URL (no javascript:, data: or other schemes)';
    expect(r.diagnostics.filter((x) => x.file === BAD).map((x) => `${x.line}:${x.column} ${x.ruleId} ${x.message}`)).toEqual([
      `11:5 schema-invalid \`references[0]\`: ${scheme}`,
      `13:10 schema-invalid \`references[1].url\`: ${scheme}`,
    ]);
    neighboursUnharmed(r.diagnostics);
    await goodOneMailed(p.root);
  });

  it('a javascript: URL in the config is refused with the same words, exit 2', async () => {
    project = tempProject({ [GOOD]: advisory('SBX-2026-0001') }, { config: { ...mailConfig(), subscribeUrl: 'javascript:alert(1)' } });
    const r = await cli(['check', '--root', project.root, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/advisories\.config\.json:\d+:\d+\s+error\s+`subscribeUrl`: must be an https: or http: URL \(no javascript:, data: or other schemes\)\s+config-invalid/);
  });
});

describe('special files in advisories/', () => {
  it('a FIFO is reported, never waited on; a symlink loop is named a loop', async () => {
    const p = withNeighbours({});
    expect(spawnSync('mkfifo', [join(p.root, BAD)]).status).toBe(0);
    symlinkSync('SBX-2026-0004.md', join(p.root, 'advisories/SBX-2026-0004.md'));
    const r = await checkJson(p.root);
    expect(r.code).toBe(1);
    expect(r.diagnostics.filter((x) => x.file === BAD || x.file.endsWith('0004.md')).map((x) => `${x.file}:${x.line}:${x.column} ${x.ruleId} ${x.message}`)).toEqual([
      `${BAD}:1:1 file-not-regular This is a named pipe (FIFO), not a regular file: it was not read`,
      'advisories/SBX-2026-0004.md:1:1 file-unreadable Cannot read this file: the symbolic link is a loop (it leads back to itself)',
    ]);
    // The fix is about the link, not about permissions.
    expect(r.diagnostics.find((x) => x.file.endsWith('0004.md'))!.hint).toMatch(/^Replace the link with the advisory file itself, or point it at an existing file in advisories\//);
    neighboursUnharmed(r.diagnostics);
    await buildReportsAll(p.root, 'file-not-regular');
    await goodOneMailed(p.root);
  });

  it('SECURITY.md as a FIFO is an unreadable policy, not a hang', async () => {
    project = tempProject({ [GOOD]: advisory('SBX-2026-0001') }, { policy: null });
    expect(spawnSync('mkfifo', [join(project.root, 'SECURITY.md')]).status).toBe(0);
    const r = await checkJson(project.root);
    expect(r.code).toBe(1);
    expect(r.diagnostics.map((x) => `${x.file}:${x.line} ${x.ruleId} ${x.message}`)).toContain('SECURITY.md:1 file-unreadable Cannot read this file: it is a named pipe (FIFO), not a regular file');
  });
});

describe('the summary and messages read correctly', () => {
  it('every file counts in the summary, errors or not', async () => {
    const p = withNeighbours({});
    const r = await cli(['check', '--root', p.root, '--now', NOW]);
    expect(r.stdout).toMatch(/\n2 advisories checked: 1 with errors, 0 embargoed\n$/);
    rmSync(join(p.root, OTHER));
    expect((await cli(['check', '--root', p.root, '--now', NOW])).stdout).toMatch(/\n1 advisory checked: 0 with errors, 0 embargoed\n$/);
  });

  it('an embargoed draft with errors counts as embargoed too, as the line naming it says', async () => {
    const p = withNeighbours({ 'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', { published: '2099-01-01', affected: '"nope"' }) }, { config: { ...mailConfig(), visibility: 'private' } });
    const r = await cli(['check', '--root', p.root, '--now', NOW]);
    expect(r.stdout).toContain('advisories/SBX-2026-0003.md');
    expect(r.stdout).toMatch(/Embargoed until/);
    expect(r.stdout).toMatch(/\n3 advisories checked: 2 with errors, 1 embargoed\n$/);
  });

  it('a supported-versions row whose only fault is its mark gets a fix about the mark', async () => {
    const policy = '## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 1.x.x | maybe |\n';
    project = tempProject({ [GOOD]: advisory('SBX-2026-0001') }, { policy });
    const r = await cli(['check', '--root', project.root, '--now', NOW]);
    expect(r.stdout).toMatch(/SECURITY\.md:5:9\s+error\s+Supported-versions row `1\.x\.x \| maybe`: `maybe` is neither a yes nor a no mark \(the "Supported" cell\)[^\n]*\n\s+fix: Write the status `maybe` as ✅ \/ :white_check_mark: [^\n]*; the version is fine\./);
  });
});

describe('killed builds', () => {
  it('a build removes the temporary folders earlier killed builds left, never one of a build still running', async () => {
    project = tempProject({ [GOOD]: advisory('SBX-2026-0001') });
    const out = join(project.root, 'site');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const leftovers = [`.site.tmp-${gone}-0badc0de`, '.site.tmp-deadbeef', `.site.tmp-${process.pid}-feedface`];
    for (const name of leftovers) {
      mkdirSync(join(project.root, name, 'advisories'), { recursive: true });
      writeFileSync(join(project.root, name, 'advisories', 'index.html'), 'half a site');
    }
    const r = await build(project.root, out);
    expect(r.code, r.stderr).toBe(0);
    // This process's own stands for a build still running (its pid is alive): left alone.
    expect(readdirSync(project.root).filter((n) => n.startsWith('.site.'))).toEqual([`.site.tmp-${process.pid}-feedface`]);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });
});
