// Reads templates: a project's own templates/NAME wins over the tool's bundled default.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shipped } from '../core/shipped.ts';
import type { Templates } from '../render/templates.ts';

export const BUNDLED_TEMPLATES = shipped('templates/');

async function readDir(dir: string): Promise<Record<string, string>> {
  try {
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.'));
    const entries = await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')] as const));
    return Object.fromEntries(entries);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

export async function loadTemplates(root: string): Promise<Templates> {
  return { ...(await readDir(BUNDLED_TEMPLATES)), ...(await readDir(join(root, 'templates'))) };
}
