import { formatText } from '../report/text.ts';
import { hasErrors } from '../../core/diagnostic.ts';
import { loadPolicy } from '../../check/security-md.ts';
import { EXIT } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { common, formatOf, FORMAT_OPTION, parse } from '../options.ts';

export const usage = 'advisories policy [--root DIR] [--format text|json]';

export const help = `Usage: ${usage}

Prints the supported lines and the release-time policy as read from SECURITY.md (in .github/, the
project root or docs/, as GitHub looks). Exit 2 when SECURITY.md cannot be read as a policy.

  --format text|json  text (default) or the parsed policy as JSON
`;

export async function policy(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, FORMAT_OPTION);
  const format = formatOf(values.format, ['text', 'json'] as const);
  const { root } = common(values, io);
  const { policy, diagnostics, file } = await loadPolicy(root);
  if (hasErrors(diagnostics)) {
    io.stderr(formatText(diagnostics));
    return EXIT.usage;
  }
  if (format === 'json') {
    io.stdout(JSON.stringify(policy, null, 2) + '\n');
    return EXIT.ok;
  }
  const width = Math.max(8, ...policy.lines.map((l) => l.spec.length));
  const out = [`Supported lines (${file})`];
  for (const l of policy.lines) out.push(`  ${l.spec.padEnd(width)}  ${l.supported ? 'supported    ' : 'not supported'}  ${l.range}${l.note ? `  (${l.note})` : ''}`);
  out.push('', 'Release-time policy (from report to patched release)');
  for (const t of policy.timelines) {
    out.push(`  ${t.severity.padEnd(8)}  ${t.text.padEnd(22)}  ${t.days === null ? 'no deadline' : `at most ${t.days} day${t.days === 1 ? '' : 's'}`}`);
  }
  if (policy.timelines.length === 0) out.push('  (none found under a "Security Updates" heading)');
  io.stdout(out.join('\n') + '\n');
  if (diagnostics.length) io.stderr(formatText(diagnostics));
  return EXIT.ok;
}
