// The key of an advisory's outputs (its page, its OSV record): a digest of everything they are
// rendered from (the model, or the check cache's key of its source, which determines the model). The same key means the same bytes, so a rebuild can link the previous build's file
// instead of rendering it again; any change to the advisory, the config, the templates or the tool's
// code (the fingerprint) changes the key.
import { createHash, hash } from 'node:crypto';
import type { Advisory } from '../model/advisory.ts';
import type { SiteInput } from './site-input.ts';

type KeyInput = Pick<SiteInput, 'fingerprint' | 'config' | 'templates' | 'sourceKey'>;

const contexts = new WeakMap<KeyInput, string>();
const keys = new WeakMap<Advisory, { context: string; key: string }>();

function contextOf(input: KeyInput & { fingerprint: string }): string {
  let context = contexts.get(input);
  if (!context) {
    const templates = Object.entries(input.templates).sort(([a], [b]) => (a < b ? -1 : 1));
    context = createHash('sha256').update(JSON.stringify([input.fingerprint, input.config, templates])).digest('hex');
    contexts.set(input, context);
  }
  return context;
}

/** undefined without a fingerprint: then nothing is reused. */
export function outputKey(a: Advisory, input: KeyInput): string | undefined {
  if (!input.fingerprint) return undefined;
  const context = contextOf(input as KeyInput & { fingerprint: string });
  const known = keys.get(a);
  if (known?.context === context) return known.key;
  // The check cache's key determines the model; without one, the model itself is hashed.
  const source = input.sourceKey?.(a);
  const model = source ? `source\0${source}` : `model\0${JSON.stringify(a)}`;
  const key = hash('sha256', `${context}\0${model}`, 'base64url').slice(0, 32);
  keys.set(a, { context, key });
  return key;
}
