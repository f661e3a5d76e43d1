// The accelerated PolicyParser: SECURITY.md's policy and diagnostics from the store when its text is one
// the reference parser (check/security-md.ts) has read before. Every run reads the policy, and its
// Markdown parse is most of a small project's check: remark loaded and compiled for one file.
import { parsePolicy, type PolicyParser } from '../check/security-md.ts';
import { Store } from './store.ts';

export type ParsedPolicy = ReturnType<PolicyParser>;
export type PolicyStore = Store<ParsedPolicy>;

export const storedPolicy =
  (store: PolicyStore | undefined): PolicyParser =>
  (text) => {
    if (!store) return parsePolicy(text);
    const key = Store.key('policy', text);
    const known = store.get(key);
    if (known) return known;
    const parsed = parsePolicy(text);
    store.put(key, parsed);
    return parsed;
  };
