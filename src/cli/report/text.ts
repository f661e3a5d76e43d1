// vfile-reporter style: one block per file, `line:col  severity  message  rule-id`, then a summary.
import type { Diagnostic } from '../../core/diagnostic.ts';
import { sortDiagnostics } from '../../core/diagnostic.ts';

export function formatText(diagnostics: readonly Diagnostic[], options: { hints?: boolean } = {}): string {
  const hints = options.hints ?? true;
  const sorted = sortDiagnostics(diagnostics);
  const out: string[] = [];
  let current: string | undefined;
  for (const d of sorted) {
    if (d.file !== current) {
      if (current !== undefined) out.push('');
      current = d.file;
    }
    out.push(`${d.file}:${d.line}:${d.column}  ${d.severity.padEnd(7)}  ${d.message}  ${d.ruleId}`);
    if (hints && d.hint && d.severity !== 'info') out.push(`  ${' '.repeat(String(d.line).length)}  fix: ${d.hint}`);
  }
  if (out.length > 0) out.push('');
  out.push(summary(sorted));
  return out.join('\n') + '\n';
}

export function summary(diagnostics: readonly Diagnostic[]): string {
  const count = (level: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === level).length;
  const errors = count('error');
  const warnings = count('warning');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const mark = errors > 0 ? '✖' : warnings > 0 ? '⚠' : '✔';
  return `${mark} ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
