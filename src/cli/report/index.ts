import type { Diagnostic } from '../../core/diagnostic.ts';
import { formatGithub } from './github.ts';
import { formatJson } from './json.ts';
import { formatText } from './text.ts';

export const FORMATS = ['text', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: Format): string {
  if (format === 'json') return formatJson(diagnostics);
  if (format === 'github') return formatGithub(diagnostics);
  return formatText(diagnostics);
}
