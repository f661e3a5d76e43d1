// Builds a fixture project's site with the real `advisories build`, into a fresh temp folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW } from './project.ts';
import { build } from './site.ts';

export async function buildSite(root: string, now = NOW, out = mkdtempSync(join(tmpdir(), 'advisories-site-'))): Promise<string> {
  const run = await build(root, out, now);
  if (run.code !== 0) throw new Error(`advisories build failed (${run.code}):\n${run.stdout}${run.stderr}`);
  return out;
}
