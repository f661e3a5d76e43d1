import { diag } from '../core/catalogue.ts';
import type { Diagnostic, Place } from '../core/diagnostic.ts';

export interface IdEntry {
  file: string;
  id?: string;
}

/**
 * Files in listing order: the second file with an id is the duplicate. Positions are looked up only for
 * the duplicates (`placeOfId`), so clean files never pay for a parse with positions.
 */
export async function duplicateIds(entries: readonly IdEntry[], placeOfId: (file: string) => Promise<Place>): Promise<Diagnostic[]> {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const { file, id } of entries) {
    if (!id) continue;
    const first = seen.get(id);
    if (first) out.push(diag('id-duplicate', file, await placeOfId(file), { id, other: first }));
    else seen.set(id, file);
  }
  return out;
}
