// Builds a project's site into a temp folder: the pages and index.json, as `advisories build` lays them out.
// Stand-in until `advisories build` lands on main; then tests call the CLI instead.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadTemplates } from '../../src/deliver/templates.ts';
import { renderPages } from '../../src/render/html/index.ts';
import { renderIndex } from '../../src/render/index-json.ts';
import { loadProject, publishedAdvisories } from '../../src/project/load-project.ts';
import { NOW } from './project.ts';

export async function buildSite(root: string, now = NOW, out = mkdtempSync(join(tmpdir(), 'advisories-site-'))): Promise<string> {
  const project = await loadProject({ root, now: new Date(now) });
  if (!project.ok) throw new Error(`fixture has errors: ${JSON.stringify(project.diagnostics.filter((d) => d.severity === 'error'))}`);
  const advisories = publishedAdvisories(project);
  const files = renderPages({ advisories, config: project.config, policy: project.policy, templates: await loadTemplates(root) });
  files.set('index.json', JSON.stringify(renderIndex(advisories, project.config), null, 2));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
  return out;
}
