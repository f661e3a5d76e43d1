import { loadProject } from '../../project/load-project.ts';
import { FORMATS, formatDiagnostics, type Format } from '../../report/index.ts';
import { EXIT, UserError } from '../errors.ts';
import type { Io } from '../io.ts';
import { common, parse } from '../options.ts';

export const usage = 'advisories check [--root DIR] [--format text|json|github] [--now TIMESTAMP]';

export async function check(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { format: { type: 'string', default: 'text' } });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UserError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const { root, now } = common(values, io);
  const project = await loadProject({ root, now });
  io.stdout(formatDiagnostics(project.diagnostics, format));
  if (format === 'text') {
    const embargoed = project.advisories.filter((a) => a.embargoed).length;
    io.stdout(`${project.advisories.length} advisories checked, ${embargoed} embargoed\n`);
  }
  // A broken config or policy is a setup problem (2), not an advisory problem (1).
  const setup = project.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
  return setup ? EXIT.usage : project.ok ? EXIT.ok : EXIT.problems;
}
