// One diagnostic type for every stage. Stages return these; only cli/report/ turns them into text.
export type Level = 'error' | 'warning' | 'info';

export interface Place {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic extends Place {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  ruleId: string;
  severity: Level;
  message: string;
  /** What to do about it. */
  hint?: string;
  expected?: string;
  actual?: string;
}

export const START: Place = { line: 1, column: 1 };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: file, then position, then rule id, so reports and tests never depend on discovery order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
