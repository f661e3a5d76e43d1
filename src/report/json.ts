import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../diagnostics/diagnostic.ts';

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(sortDiagnostics(diagnostics), null, 2) + '\n';
}
