// The links every page carries: to the repository, the package's registry page, how to report a vulnerability
// and how to subscribe; each only when known, and escaped like any other text.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectLinks, registryUrl } from '../../src/render/html/links.ts';
import { buildSite } from '../helpers/render-site.ts';
import { advisory, tempProject, type TempProject } from '../helpers/project.ts';

let project: TempProject | undefined;
let site: string | undefined;
afterEach(() => {
  project?.cleanup();
  if (site) rmSync(site, { recursive: true, force: true });
});

describe('project links', () => {
  it("each ecosystem's registry page", () => {
    expect(registryUrl('npm', '@acme/widgets')).toBe('https://www.npmjs.com/package/%40acme/widgets');
    expect(registryUrl('PyPI', 'acme-sdk')).toBe('https://pypi.org/project/acme-sdk/');
    expect(registryUrl('crates.io', 'acme')).toBe('https://crates.io/crates/acme');
    expect(registryUrl('Go', 'github.com/acme/sdk')).toBe('https://pkg.go.dev/github.com/acme/sdk');
    expect(registryUrl('Maven', 'org.acme:core')).toBe('https://central.sonatype.com/artifact/org.acme/core');
    expect(registryUrl('Debian', 'acme')).toBeNull();
  });

  it('the policy link defaults to GitHub\'s security policy page; nothing is made up without a repository', () => {
    expect(projectLinks({ ecosystem: 'PyPI', package: 'acme-sdk', repository: 'https://github.com/acme/acme-sdk.git' })).toEqual({
      repository: 'https://github.com/acme/acme-sdk.git',
      package: 'https://pypi.org/project/acme-sdk/',
      securityPolicy: 'https://github.com/acme/acme-sdk/security/policy',
    });
    expect(projectLinks({ ecosystem: 'npm' })).toEqual({});
    expect(projectLinks({ ecosystem: 'npm', repository: 'https://git.example.test/acme', securityPolicyUrl: 'https://acme.test/security#reporting', subscribeUrl: 'https://acme.test/subscribe' })).toEqual({
      repository: 'https://git.example.test/acme',
      securityPolicy: 'https://acme.test/security#reporting',
      subscribe: 'https://acme.test/subscribe',
    });
  });

  it('every page shows them, escaped; a project without them shows none', async () => {
    const config = {
      package: 'acme-sdk', idPrefix: 'SBX', ecosystem: 'PyPI',
      repository: 'https://github.com/acme/acme-sdk?a="><script>alert(1)</script>',
      subscribeUrl: 'https://acme.test/subscribe?list=security&lang=en',
    };
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { affected: '">=1.0,<1.2"', patched: '["1.2"]' }) }, { config });
    site = await buildSite(project.root);
    for (const page of ['index.html', 'advisories/SBX-2026-0001.html']) {
      const html = readFileSync(join(site, page), 'utf8');
      expect(html).toContain('<a href="https://github.com/acme/acme-sdk?a=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">Source repository</a>');
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('<a href="https://pypi.org/project/acme-sdk/">Package</a>');
      expect(html).toContain('<a href="https://acme.test/subscribe?list=security&amp;lang=en">Subscribe by mail</a>');
      // On GitHub, SECURITY.md's page: the repository's own address, not what follows it.
      expect(html).toContain('<a href="https://github.com/acme/acme-sdk/security/policy">Report a vulnerability</a>');
    }
    rmSync(site, { recursive: true, force: true });
    project.cleanup();
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { package: 'scalebox-sdk' }) }, { config: { idPrefix: 'SBX' } });
    site = await buildSite(project.root);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).not.toContain('project-links');
  });

  it("the subscribe form's versions example is written in the project's own notation", async () => {
    const forProject = async (ecosystem: string, affected: string, patched: string) => {
      project?.cleanup();
      if (site) rmSync(site, { recursive: true, force: true });
      project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { affected, patched }) }, { config: { package: 'acme-sdk', idPrefix: 'SBX', ecosystem, service: { url: 'https://list.acme.test/' } } });
      site = await buildSite(project.root);
      return /id="subscribe-versions"[^>]*placeholder="([^"]*)"/.exec(readFileSync(join(site, 'index.html'), 'utf8'))?.[1];
    };
    expect(await forProject('PyPI', '">=1.0,<1.2"', '["1.2"]')).toBe('e.g. &gt;=2.0.0,&lt;2.4.1');
    expect(await forProject('npm', '">=1.0.0 <1.2.0"', '["1.2.0"]')).toBe('e.g. &gt;=1.2.0 &lt;1.4.2');
  });
});
