// GitHub Actions workflow commands, so problems show as annotations on the changed lines of a PR.
import type { Diagnostic } from '../../core/diagnostic.ts';
import { sortDiagnostics } from '../../core/diagnostic.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

// Workflow-command escaping: data may not carry %, CR or LF; properties may not carry : or , either.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = [
        `file=${escapeProperty(d.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        ...(d.endLine ? [`endLine=${d.endLine}`] : []),
        `title=${escapeProperty(d.ruleId)}`,
      ].join(',');
      const text = d.hint && d.severity !== 'info' ? `${d.message}. Fix: ${d.hint}` : d.message;
      return `::${LEVEL[d.severity]} ${props}::${escapeData(text)}\n`;
    })
    .join('');
}
