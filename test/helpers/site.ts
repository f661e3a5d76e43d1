// Builds a project's site through the CLI, as a user would, and reads every byte of the result.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { cli, NOW } from './project.ts';

export async function build(root: string, out: string, now = NOW) {
  return cli(['build', '--root', root, '--out', out, '--now', now]);
}

/** Every file under dir (dotfiles too), path → bytes, sorted by path. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(full.slice(dir.length + 1), readFileSync(full));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Every byte a reader could get at: each file as stored, plus each zip entry uncompressed. */
export function allContents(dir: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const [path, bytes] of readTree(dir)) {
    out.push([path, bytes]);
    if (path.endsWith('.zip')) for (const [name, entry] of Object.entries(unzipSync(bytes))) out.push([`${path}!${name}`, Buffer.from(entry)]);
  }
  return out;
}

export const readJson = <T = any>(dir: string, path: string): T => JSON.parse(readFileSync(join(dir, path), 'utf8')) as T;

/** Markup that would run script if a page or a feed reader rendered this HTML. */
export function activeContent(html: string): string[] {
  const found: string[] = [];
  for (const pattern of [/<script\b[^>]*>[^<]*alert/gi, /<[a-z][^>]*\son[a-z]+\s*=/gi, /\b(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/gi, /<iframe\b/gi]) {
    found.push(...(html.match(pattern) ?? []));
  }
  return found;
}
