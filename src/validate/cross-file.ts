import { diag } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { RuleContext } from './context.ts';

export function duplicateIds(contexts: readonly RuleContext[]): Diagnostic[] {
  const seen = new Map<string, RuleContext>();
  const out: Diagnostic[] = [];
  for (const ctx of contexts) {
    const first = seen.get(ctx.fm.id);
    if (first) out.push(diag('id-duplicate', ctx.parsed.file, ctx.at(['id']), { id: ctx.fm.id, other: first.parsed.file }));
    else seen.set(ctx.fm.id, ctx);
  }
  return out;
}
