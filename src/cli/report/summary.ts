// The pull-request job summary: which advisories the branch adds, changes or removes, with severity and embargo state.
// Pure: the caller passes the comparison, the checked advisories and the diagnostics.
import type { Diagnostic } from '../../core/diagnostic.ts';
import type { Change } from '../../check/git/base.ts';
import type { Advisory } from '../../core/advisory.ts';
import { summary as counts } from './text.ts';

/** Advisory text is untrusted: it must not turn into links, HTML or table cells in the summary. */
export const escapeMarkdown = (s: string) =>
  s
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');

function state(a: Advisory | undefined, change: Change, errors: number): string {
  if (change === 'removed') return '**removed**: a published advisory should be withdrawn (`withdrawn:`), not deleted';
  if (!a) return `not publishable: ${errors} error${errors === 1 ? '' : 's'}`;
  if (a.withdrawn) return `withdrawn ${a.withdrawn.at}`;
  if (a.embargoed) return `🔒 embargoed until ${a.published}`;
  return `public since ${a.published}`;
}

function sealedRow(file: string, change: Change, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.file === file && d.severity === 'error').length;
  const id = file.split('/').pop()!.replace(/\.md$/, '');
  return `| \`${id}\` | ${change} | — | 🔒 sealed and embargoed | ${errors ? `❌ ${errors} error(s)` : '✅'} |`;
}

export function changedSummary(input: {
  base: string;
  changes: ReadonlyMap<string, Change>;
  advisories: readonly Advisory[];
  diagnostics: readonly Diagnostic[];
  /** Sealed files: while embargoed, their row shows neither title nor severity (the summary is public). */
  sealed?: readonly string[];
}): string {
  const { base, changes, advisories, diagnostics } = input;
  const sealed = new Set(input.sealed);
  const byFile = new Map(advisories.map((a) => [a.file, a]));
  const rows = [...changes].sort(([a], [b]) => a.localeCompare(b)).map(([file, change]) => {
    const opened = byFile.get(file);
    if (sealed.has(file) && (opened?.embargoed ?? true)) return sealedRow(file, change, diagnostics);
    const a = opened;
    const mine = diagnostics.filter((d) => d.file === file);
    const errors = mine.filter((d) => d.severity === 'error').length;
    const warnings = mine.filter((d) => d.severity === 'warning').length;
    const id = a?.id ?? file.split('/').pop()!.replace(/\.md$/, '');
    const title = a ? ` — ${escapeMarkdown(a.title)}` : '';
    const checks = change === 'removed' ? '' : errors ? `❌ ${errors} error(s)` : warnings ? `⚠️ ${warnings} warning(s)` : '✅';
    return `| \`${id}\`${title} | ${change} | ${a?.severity ?? '—'} | ${state(a, change, errors)} | ${checks} |`;
  });
  const head = `### Advisories in this pull request (against \`${base.replace(/[`\r\n]/g, '')}\`)\n\n`;
  if (rows.length === 0) return `${head}No advisory is added, changed or removed.\n\nChecks: ${counts(diagnostics)}\n`;
  return `${head}| Advisory | Change | Severity | State | Checks |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n\nChecks: ${counts(diagnostics)}\n`;
}
