import type { Diagnostic } from '../../core/diagnostic.ts';
import { sortDiagnostics } from '../../core/diagnostic.ts';

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(sortDiagnostics(diagnostics), null, 2) + '\n';
}
