// CLI conventions an adopter expects: help that never runs the command, --version, --format json, a quiet
// exit when the reader of a pipe goes away, the project root found upward, SECURITY.md where GitHub looks.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.ts';
import { advisory, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

const REPO = new URL('../..', import.meta.url).pathname;
const BIN = join(REPO, 'bin/advisories.js');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** Every file under `dir`, so a test can see that nothing was written. */
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('--help on every command', () => {
  let smtp: TestServer;
  let project: TempProject;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    smtp = await startSmtp();
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'subscribers.csv': csv(['reader@example.test,,']) }, { config: mailConfig() });
    // Everything a real send needs: without the help convention, notify would connect and mail.
    env = { SMTP_URL: smtp.url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET, STATE_PASSPHRASE: 'a passphrase long enough for state' };
  });
  afterAll(async () => {
    await smtp.close();
    project.cleanup();
  });

  it('covers the commands there are', () => expect(Object.keys(COMMANDS).length).toBeGreaterThanOrEqual(9));

  it.each(Object.keys(COMMANDS))('%s --help and -h print its help and do nothing else; so does `help %s`', async (name) => {
    const before = tree(project.root);
    const long = await cli([name, '--root', project.root, '--now', NOW, '--help'], env, project.root);
    const short = await cli([name, '-h', '--root', project.root], env, project.root);
    const viaHelp = await cli(['help', name], env, project.root);
    for (const r of [long, short, viaHelp]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: advisories ${name}\\b`));
      expect(r.stdout).toContain('-h, --help');
      expect(r.stderr).toBe('');
    }
    expect(short.stdout).toBe(long.stdout);
    expect(viaHelp.stdout).toBe(long.stdout);
    expect(smtp.connections()).toBe(0);
    expect(tree(project.root)).toEqual(before);
  });

  it('the same notify without --help does connect and send (the server is really there)', async () => {
    const r = await cli(['notify', '--root', project.root, '--now', NOW, '--state', join(project.root, '../state-' + Date.now())], env, project.root);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(smtp.connections()).toBeGreaterThan(0);
    expect(smtp.raw.length).toBe(1);
  });

  it('an unknown command in `help` is a usage error naming the commands', async () => {
    const r = await cli(['help', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown command "nope"');
    expect(r.stderr).toContain('  check ');
  });
});

describe('--version', () => {
  it("prints the package's version", async () => {
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    }
  });
});

describe('--format json', () => {
  let project: TempProject;
  afterEach(() => project.cleanup());

  it('affected, policy, build and new print JSON; affected --json still works and says the same', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') });
    const [json, legacy] = await Promise.all([
      cli(['affected', '1.1.0', '--root', project.root, '--now', NOW, '--format', 'json']),
      cli(['affected', '1.1.0', '--root', project.root, '--now', NOW, '--json']),
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([{ id: 'SBX-2026-0001', severity: 'high', title: 'Problem in SBX-2026-0001', upgradeTo: '1.2.0' }]);
    expect(legacy.stdout).toBe(json.stdout);

    const policy = await cli(['policy', '--root', project.root, '--format', 'json']);
    expect(JSON.parse(policy.stdout).lines.length).toBeGreaterThan(0);

    const build = await cli(['build', '--root', project.root, '--now', NOW, '--format', 'json', '--no-accel']);
    expect(build.code, build.stderr).toBe(0);
    expect(JSON.parse(build.stdout)).toMatchObject({ out: join(project.root, 'dist'), built: true, published: 1, withdrawn: 0, embargoed: 0 });
    // Check errors: JSON still, saying nothing was built and why.
    project.write('advisories/SBX-2025-0009.md', advisory('SBX-2025-0009').replace('severity: high', 'severity: severe'));
    const refused = await cli(['build', '--root', project.root, '--now', NOW, '--format', 'json', '--no-accel']);
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout) as { built: boolean; diagnostics: { file: string; ruleId: string; severity: string }[] };
    expect(report.built).toBe(false);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ file: 'advisories/SBX-2025-0009.md', severity: 'error' }));
    expect(refused.stderr).toContain('Not building');

    const made = await cli(['new', '--root', project.root, '--now', NOW, '--title', 'T', '--severity', 'low', '--format', 'json']);
    expect(JSON.parse(made.stdout)).toMatchObject({ id: 'SBX-2026-0002', file: 'advisories/SBX-2026-0002.md' });
  });

  it('a format a command cannot print is a usage error', async () => {
    project = tempProject();
    const r = await cli(['policy', '--root', project.root, '--format', 'github']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, json');
  });
});

describe('a closed pipe', () => {
  let project: TempProject;
  afterAll(() => project.cleanup());

  it('`advisories check | head -1` prints one line and no stack trace', () => {
    // Far more output than a pipe buffers, so the writes after head exits meet EPIPE.
    const files = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`advisories/SBX-2026-${String(i + 1).padStart(4, '0')}.md`, `---\nid: nope-${i}\n---\n`]));
    project = tempProject(files);
    const out = execFileSync('bash', ['-c', `set -o pipefail; node "${BIN}" check --root "${project.root}" --no-accel 2>"${project.root}/stderr.txt" | head -1; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('SBX-2026-0001.md');
    expect(readFileSync(join(project.root, 'stderr.txt'), 'utf8')).toBe('');
    expect(lines[1]).not.toBe('status 70');
  });
});

describe('the project root and SECURITY.md', () => {
  let project: TempProject;
  afterEach(() => project.cleanup());

  it('without --root, the nearest folder up holding advisories/ (or the config, or .git) is the project', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'src/deep/file.txt': 'x' });
    const r = await cli(['check', '--now', NOW, '--format', 'json'], {}, join(project.root, 'src/deep'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    // …and the git repository's top when there is nothing else to go by.
    const bare = tempProject({}, { config: null });
    try {
      mkdirSync(join(bare.root, '.git'));
      mkdirSync(join(bare.root, 'a/b'), { recursive: true });
      renameSync(join(bare.root, 'advisories'), join(bare.root, 'elsewhere'));
      const policy = await cli(['policy', '--format', 'json'], {}, join(bare.root, 'a/b'));
      expect(policy.code, policy.stderr).toBe(0);
    } finally {
      bare.cleanup();
    }
  });

  it.each(['.github/SECURITY.md', 'docs/SECURITY.md'])('finds the policy in %s, as GitHub does, and names that file', async (place) => {
    project = tempProject({}, { policy: null });
    project.write(place, '# Security\n\n## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 2.x | ✅ |\n| 1.x | ❌ |\n');
    const r = await cli(['policy', '--root', project.root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Supported lines (${place})`);
    expect(r.stdout).toMatch(/2\.x +supported/);
    // A problem in it is reported against that file.
    project.write(place, '# Security\n\n## Supported Versions\n\n| Version | Supported |\n| --- | --- |\n| 2.x | ✅ |\n| 1.x | oops |\n');
    const bad = await cli(['policy', '--root', project.root]);
    expect(bad.stderr).toContain(`${place}:8:`);
    expect(bad.stderr).toContain('policy-invalid-row');
  });

  it('without one anywhere, the error says where it looked', async () => {
    project = tempProject({}, { policy: null });
    const r = await cli(['policy', '--root', project.root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looked in .github/, the project root and docs/');
  });
});

describe('advisories preview', () => {
  let project: TempProject;
  afterAll(() => project.cleanup());

  it('serves the built site on 127.0.0.1, index.json included, and nothing outside it', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001') });
    expect((await cli(['build', '--root', project.root, '--now', NOW, '--no-accel'])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'preview', '--root', project.root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stdout.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(seen);
          if (m) resolve(m[0]);
        });
        child.on('exit', (code) => reject(new Error(`preview exited with ${code}`)));
      });
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toContain('SBX-2026-0001');
      const json = await fetch(new URL('index.json', url));
      expect(json.headers.get('content-type')).toContain('application/json');
      expect((await json.json()).advisories).toHaveLength(1);
      expect((await fetch(new URL('advisories/SBX-2026-0001.html', url))).status).toBe(200);
      for (const path of ['/..%2fadvisories.config.json', '/%2e%2e/advisories.config.json', '/nope.html']) {
        expect((await fetch(url.replace(/\/$/, '') + path)).status, path).toBe(404);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('says to build first when there is no site', async () => {
    const empty = tempProject();
    try {
      const r = await cli(['preview', '--root', empty.root, '--port', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('run `advisories build` first');
    } finally {
      empty.cleanup();
    }
  });
});
