// Acceptance (issue 18): what acme-sdk's maintainers did. A Python package's fresh git repository, no
// package.json, its SECURITY.md in .github/ in the shape Python projects write it; the packed tool run as npx
// runs it (installed outside the project); `init` for PyPI; two advisories with PEP 440 ranges; then check,
// build and notify to the outbox. Every OSV record validates and names PyPI; the page shows the PEP 440 ranges
// and a `pip install` upgrade.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, initRepo } from '../helpers/git.ts';
import { installPacked, REPO } from '../helpers/pack.ts';

const NOW = '2026-11-25T12:00:00Z';
let top: string;
let project: string;
let tool: string;

/** The packed tool, run from the project as `npx --package <tarball> -- advisories` would. */
const advisories = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [tool, ...args], { cwd: project, env: { ...process.env, NODE_OPTIONS: '', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
  });

// A Python SDK's policy, in the shape such projects write it: a table whose marks carry notes, a reporting
// section, and release times as a bullet list.
const SECURITY_MD = `# Security Policy

## Supported Versions

acme-sdk follows PEP 440 versioning. Security fixes go to the lines below.

| Version        | Supported                                  |
| -------------- | ------------------------------------------ |
| 3.1.x (latest) | ✅                                         |
| 3.0.x          | ✅ (security fixes only, until 2027-06-30) |
| 2.x            | :white_check_mark: Yes                     |
| < 2.0          | ❌ End of life                             |

## Reporting a Vulnerability

Please use GitHub's private vulnerability reporting, or write to security@acme.test.

## Security Updates

- **Critical**: Within 7 days
- **High**: Within 30 days
- **Medium**: Within 90 days
- **Low**: Next regular release
`;

const body = (fixed: string) => `## Impact

A crafted response makes the client follow redirects to other hosts with the API token.

## Patches

Fixed in ${fixed}.
`;

const ADVISORY_1 = `---
id: ACME-2026-0001
title: API token sent to redirect targets on other hosts
summary: The client forwarded the Authorization header across hosts when following redirects.
severity: high
affected: [">=2.0,<2.4.1", ">=3.0.0rc1,<3.0.5", ">=3.1.0,<3.1.1.post1"]
patched: ["2.4.1", "3.0.5", "3.1.1.post1"]
aliases: [CVE-2026-41001, PYSEC-2026-101]
reported: 2026-05-02
published: 2026-05-20T09:00:00Z
---

${body('2.4.1, 3.0.5 and 3.1.1.post1')}`;

const ADVISORY_2 = `---
id: ACME-2026-0002
title: Unbounded retry loop on malformed Retry-After
summary: A malformed Retry-After header made the client retry without limit.
severity: medium
affected: ">=3.0.0,<3.0.4"
patched: ["3.0.4"]
aliases: [OSV-2026-77]
reported: 2026-06-01
published: 2026-06-20T09:00:00Z
---

${body('3.0.4')}`;

beforeAll(async () => {
  top = mkdtempSync(join(tmpdir(), 'advisories-adoption-'));
  // Where npx keeps a package it runs: outside the project, which stays a pure Python repository. Beside it only
  // the runtime dependencies, as npx installs them: what the bundle inlines is not there to fall back on.
  tool = join(installPacked(join(top, 'npx'), {}, { runtimeOnly: true }), 'bin/advisories.js');
  project = join(top, 'acme-sdk');
  mkdirSync(join(project, '.github'), { recursive: true });
  mkdirSync(join(project, 'src/acme_sdk'), { recursive: true });
  initRepo(project);
  git(project, 'remote', 'add', 'origin', 'https://github.com/acme/acme-sdk.git');
  writeFileSync(join(project, 'pyproject.toml'), '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "acme-sdk"\nversion = "3.1.1.post1"\n');
  writeFileSync(join(project, 'src/acme_sdk/__init__.py'), '__version__ = "3.1.1.post1"\n');
  writeFileSync(join(project, '.github/SECURITY.md'), SECURITY_MD);
  writeFileSync(join(project, '.gitignore'), '__pycache__/\n*.egg-info/\n');
  commitAll(project, 'acme-sdk 3.1.1.post1', '2026-05-01T10:00:00Z');
}, 600_000);

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('a Python SDK adopts the tool', () => {
  it('init for PyPI: the config, the .gitignore lines, npx workflows, and the policy it read', async () => {
    const r = await advisories(['init', '--id-prefix', 'ACME', '--tool', 'advisories@0.1.0']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'advisories.config.json'), 'utf8'))).toMatchObject({
      package: 'acme-sdk', ecosystem: 'PyPI', idPrefix: 'ACME', repository: 'https://github.com/acme/acme-sdk', siteUrl: 'https://acme.github.io/acme-sdk/',
    });
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toContain('.advisories-state/');
    expect(readFileSync(join(project, '.github/workflows/advisories-publish.yml'), 'utf8')).toContain('npx --yes --package "$ADVISORIES" -- advisories notify');
    expect(r.stdout).toContain('.github/SECURITY.md: what the checks will use');
    expect(r.stdout).toMatch(/3\.1\.x \(latest\)\s+supported/);
    expect(r.stdout).toMatch(/< 2\.0\s+not supported/);
    expect(readdirSync(project)).not.toContain('package.json');
  });

  it('check, build and notify to the outbox with two PEP 440 advisories', async () => {
    // What the maintainers add by hand: the list's settings (docs/mail.md), and the advisories.
    const configPath = join(project, 'advisories.config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.mail = { from: 'Acme Security <security@acme.test>', listId: 'Acme security <security.acme.test>', unsubscribeUrl: 'https://acme.github.io/acme-sdk/u?token={token}' };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    writeFileSync(join(project, 'advisories/ACME-2026-0001.md'), ADVISORY_1);
    writeFileSync(join(project, 'advisories/ACME-2026-0002.md'), ADVISORY_2);
    writeFileSync(join(top, 'subscribers.csv'), 'email,min_severity,versions\neveryone@acme.test,,\nthree-one@acme.test,,">=3.1,<3.2"\n');
    commitAll(project, 'advisories', '2026-06-20T10:00:00Z');

    const check = await advisories(['check', '--now', NOW]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('2 advisories checked: 0 with errors, 0 embargoed');

    const build = await advisories(['build', '--now', NOW]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain('2 advisories published');

    const notify = await advisories(['notify', '--now', NOW], { SUBSCRIBERS: join(top, 'subscribers.csv'), UNSUBSCRIBE_SECRET: 'acme-unsubscribe-secret-0123456789' });
    expect(notify.code, notify.stdout + notify.stderr).toBe(0);
    const emls = readdirSync(join(project, 'outbox'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(emls.map(async (f) => simpleParser(readFileSync(join(project, 'outbox', f)))));
    const to = (m: (typeof mails)[number]) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value ?? []).map((v) => v.address);
    const sent = mails.map((m) => `${/ACME-\d{4}-\d{4}/.exec(m.subject ?? '')?.[0]} → ${to(m).join(',')}`).sort();
    // The 3.1 subscriber's filter is read with PEP 440 too: 0002 (3.0.x only) is not for them.
    expect(sent).toEqual(['ACME-2026-0001 → everyone@acme.test', 'ACME-2026-0001 → three-one@acme.test', 'ACME-2026-0002 → everyone@acme.test']);
    const first = mails.find((m) => m.subject?.includes('ACME-2026-0001') && to(m).includes('everyone@acme.test'))!;
    expect(first.text).toContain('pip install');
    expect(first.text).toContain('3.1.1.post1');
  }, 300_000);

  it('every OSV record validates against the OSV schema and names PyPI, with ECOSYSTEM ranges', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO, 'test/schemas/osv-schema.json'), 'utf8')));
    const files = readdirSync(join(project, 'dist/osv')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['ACME-2026-0001.json', 'ACME-2026-0002.json']);
    for (const file of files) {
      const record = JSON.parse(readFileSync(join(project, 'dist/osv', file), 'utf8'));
      expect(validate(record), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      for (const a of record.affected) {
        expect(a.package).toMatchObject({ ecosystem: 'PyPI', name: 'acme-sdk' });
        for (const range of a.ranges) expect(range.type).toBe('ECOSYSTEM');
      }
    }
    const first = JSON.parse(readFileSync(join(project, 'dist/osv/ACME-2026-0001.json'), 'utf8'));
    expect(first.aliases).toEqual(['CVE-2026-41001', 'PYSEC-2026-101']);
    const events = first.affected.flatMap((a: { ranges: { events: object[] }[] }) => a.ranges.flatMap((r) => r.events));
    expect(events).toEqual(expect.arrayContaining([{ introduced: '2.0' }, { fixed: '2.4.1' }, { introduced: '3.0.0rc1' }, { fixed: '3.0.5' }, { introduced: '3.1.0' }, { fixed: '3.1.1.post1' }]));
  });

  it('the page shows the PEP 440 ranges, a pip install upgrade, and links to the repository, PyPI and the reporting policy', () => {
    const page = readFileSync(join(project, 'dist/advisories/ACME-2026-0001.html'), 'utf8');
    expect(page).toContain('&gt;=2.0,&lt;2.4.1');
    expect(page).toContain('&gt;=3.0.0rc1,&lt;3.0.5');
    expect(page).toContain('&gt;=3.1.0,&lt;3.1.1.post1');
    expect(page).toMatch(/pip install[^<]*acme-sdk[^<]*3\.1\.1\.post1/);
    expect(page).not.toContain('npm install');
    expect(page).toContain('href="https://github.com/acme/acme-sdk"');
    expect(page).toContain('href="https://pypi.org/project/acme-sdk/"');
    expect(page).toContain('href="https://github.com/acme/acme-sdk/security/policy"');
  });
});
