// The HTML renderer without a browser: the shipped script is the current bundle, and output is deterministic.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleClient, CLIENT_BUNDLE } from '../../scripts/bundle-client.ts';
import { loadTemplates } from '../../src/publish/templates.ts';
import { renderPages } from '../../src/render/html/index.ts';
import { loadProject, publishedAdvisories } from '../../src/check/project.ts';
import { NOW } from '../helpers/project.ts';

const root = new URL('../..', import.meta.url).pathname;

async function render() {
  const project = await loadProject({ root, now: new Date(NOW) });
  return renderPages({ advisories: publishedAdvisories(project), config: project.config, policy: project.policy, templates: await loadTemplates(root) });
}

describe('renderPages', () => {
  it('ships the client script exactly as `npm run bundle:client` builds it from src/client (run it after editing src/client or src/core/affected.ts)', async () => {
    expect(readFileSync(CLIENT_BUNDLE, 'utf8')).toBe(await bundleClient());
  });

  it('gives byte-identical pages for the same input, with one page per published advisory plus the index and assets', async () => {
    const [a, b] = await Promise.all([render(), render()]);
    expect([...a.keys()].sort()).toEqual([
      'advisories/SBX-2026-0001.html', 'advisories/SBX-2026-0002.html', 'advisories/SBX-2026-0003.html',
      'advisories/SBX-2026-0004.html', 'advisories/SBX-2026-0005.html', 'advisories/SBX-2026-0006.html',
      'assets/app.js', 'assets/style.css', 'index.html',
    ]);
    expect(a).toEqual(b);
  });

  it('writes no inline script and no event-handler attribute into any page', async () => {
    for (const [path, content] of await render()) {
      if (!path.endsWith('.html')) continue;
      const html = String(content);
      expect(html.match(/<script\b[^>]*>/g), path).toEqual([`<script src="${path.includes('/') ? '../' : ''}assets/app.js" defer>`]);
      expect(html, path).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    }
  });
});
