import { diag } from '../diagnostics/catalogue.ts';
import type { Diagnostic, Place } from '../diagnostics/diagnostic.ts';

export interface IdEntry {
  file: string;
  id?: { value: string; place: Place };
}

/** Files in listing order: the second file with an id is the duplicate. */
export function duplicateIds(entries: readonly IdEntry[]): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const { file, id } of entries) {
    if (!id) continue;
    const first = seen.get(id.value);
    if (first) out.push(diag('id-duplicate', file, id.place, { id: id.value, other: first }));
    else seen.set(id.value, file);
  }
  return out;
}
