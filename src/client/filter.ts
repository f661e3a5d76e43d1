// Severity filter and search over the server-rendered list: rows are hidden, never rebuilt.
import { byId } from './dom.ts';
import type { IndexEntry } from './types.ts';

/** Every word of the query must appear in the id, title, summary, an alias or a CWE. */
export function matches(entry: IndexEntry, query: string, severity: string): boolean {
  if (severity && entry.severity !== severity) return false;
  const haystack = [entry.id, entry.title, entry.summary, ...entry.aliases, ...entry.cwe].join('\n').toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}

export function setupFilters(entries: readonly IndexEntry[]): void {
  const search = byId<HTMLInputElement>('search');
  const severity = byId<HTMLSelectElement>('severity');
  const status = byId('filter-status');
  const noMatch = byId('no-match');
  const rows = [...document.querySelectorAll<HTMLElement>('#advisory-list > li[data-id]')];
  if (!search || !severity || !status) return;
  const byIdMap = new Map(entries.map((e) => [e.id, e]));
  const apply = () => {
    let shown = 0;
    for (const row of rows) {
      const entry = byIdMap.get(row.dataset.id ?? '');
      const visible = entry ? matches(entry, search.value, severity.value) : true;
      row.hidden = !visible;
      if (visible) shown++;
    }
    if (noMatch) noMatch.hidden = shown > 0;
    const filtered = search.value.trim() !== '' || severity.value !== '';
    status.textContent = filtered ? `Showing ${shown} of ${rows.length} advisories.` : '';
  };
  search.addEventListener('input', apply);
  severity.addEventListener('change', apply);
  byId('filters')?.removeAttribute('hidden');
  apply();
}
