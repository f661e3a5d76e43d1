// What cached results depend on besides their input: the tool's version, its pinned dependencies and
// the code that made them. Part of every cache key and output key, so an upgrade or a local edit of
// that code never reuses a result made by other code.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shipped } from '../load/shipped.ts';

const SRC = fileURLToPath(new URL('../', import.meta.url));
// src/*.ts from the sources (tsx, vitest), lib/*.js when compiled.
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const known = new Map<string, string>();

/**
 * SHA-256 of package.json and of the modules in `parts`, relative to src/ (lib/ when compiled): a part
 * ending in `/` is a folder, taken whole; any other names one module, without its extension.
 */
function codeFingerprint(parts: readonly string[]): string {
  const id = parts.join('\0');
  const done = known.get(id);
  if (done) return done;
  const hash = createHash('sha256').update(readFileSync(shipped('package.json')));
  for (const part of parts) {
    const modules = part.endsWith('/')
      ? (readdirSync(join(SRC, part), { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith(EXT)).map((f) => part + f.split('\\').join('/')).sort()
      : [part + EXT];
    for (const module of modules) hash.update(`${module}\0`).update(readFileSync(join(SRC, module)));
  }
  const fingerprint = hash.digest('hex');
  known.set(id, fingerprint);
  return fingerprint;
}

/** The renderers': part of every output key and render-cache key. */
export const toolFingerprint = () => codeFingerprint(['render/', 'project/render-tasks']);

/** The checking stages': part of the check cache's and the policy cache's keys. */
export const checkerFingerprint = () => codeFingerprint(['config/', 'diagnostics/', 'load/', 'model/', 'policy/', 'project/', 'validate/']);
