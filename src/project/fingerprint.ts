// What the build's outputs depend on besides their input: the tool's version, its pinned dependencies
// and the renderers' own code. Part of every cache key and output key, so an upgrade or a local edit
// of the renderers never reuses an output made by other code.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let fingerprint: string | undefined;

export function toolFingerprint(): string {
  if (fingerprint) return fingerprint;
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; dependencies?: object };
  const renderDir = fileURLToPath(new URL('../render/', import.meta.url));
  const code = (readdirSync(renderDir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => [f, readFileSync(`${renderDir}/${f}`, 'utf8')]);
  const own = readFileSync(new URL(`./render-tasks${ext}`, import.meta.url), 'utf8');
  return (fingerprint = createHash('sha256').update(JSON.stringify([pkg.version, pkg.dependencies, code, own])).digest('hex'));
}
