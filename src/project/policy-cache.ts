// SECURITY.md read through remark costs the parse and, above all, loading remark: a rebuild that
// renders nothing with remark would load it for this alone. The parsed policy is kept in the state
// folder, keyed by the file's text and the checker's code; anything else there is ignored.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPolicy, parsePolicy, POLICY_FILE } from '../load/security-md.ts';
import { checkerFingerprint } from './fingerprint.ts';
import { replaceFile } from './line-store.ts';

export const POLICY_CACHE = 'cache/policy.json';
const FORMAT = 'advisories-policy-cache/1';

type Loaded = ReturnType<typeof parsePolicy>;

export async function loadPolicyCached(root: string, state: string | undefined): Promise<Loaded> {
  const text = state ? await readFile(join(root, POLICY_FILE), 'utf8').catch(() => undefined) : undefined;
  // No state folder, or no readable file (loadPolicy says why): nothing to cache.
  if (!state || text === undefined) return loadPolicy(root);
  const path = join(state, POLICY_CACHE);
  const key = createHash('sha256').update(`${FORMAT}\0${checkerFingerprint()}\0${text}`).digest('hex');
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as { key?: string; result?: Loaded };
    if (stored.key === key && stored.result) return stored.result;
  } catch {
    // missing or damaged: parse
  }
  const result = parsePolicy(text);
  await replaceFile(path, JSON.stringify({ key, result })).catch(() => undefined); // an optimisation only
  return result;
}
