import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadProjectWithHistory } from '../../check/with-history.ts';
import { rootRelative } from '../../check/read-files.ts';
import { FORMATS, formatDiagnostics, type Format } from '../report/index.ts';
import { changedSummary } from '../report/summary.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { acceleration, common, parse } from '../options.ts';

export const usage =
  'advisories check [--root DIR] [--format text|json|github] [--base REF [--summary FILE]] [--now TIMESTAMP]';

export async function check(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string', default: 'text' },
    base: { type: 'string' },
    summary: { type: 'string' },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new AdvisoriesError('USAGE', `--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  if (values.summary !== undefined && !values.base) throw new AdvisoriesError('USAGE', '--summary lists what a branch changes, so it needs --base REF (e.g. --base origin/main)');
  const options = common(values, io);
  const { root, now } = options;
  const accel = await acceleration(options);
  const project = await loadProjectWithHistory({ root, now, ...(accel ? { checker: accel.checker } : {}), ...(values.base ? { base: values.base } : {}) });
  await accel?.save();
  if (options.verbose && accel) io.stderr(accel.report());
  io.stdout(formatDiagnostics(project.diagnostics, format));
  if (format === 'text') {
    // Every file found counts, those with errors too: they were checked, and are named above.
    const embargoed = project.advisories.filter((a) => a.embargoed).length;
    const failed = new Set(project.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
    const withErrors = project.files.filter((path) => failed.has(rootRelative(root, path))).length;
    const n = project.files.length;
    io.stdout(`${n} ${n === 1 ? 'advisory' : 'advisories'} checked: ${withErrors} with errors, ${embargoed} embargoed\n`);
  }
  if (values.summary !== undefined && project.comparison) {
    // Appended, not overwritten: $GITHUB_STEP_SUMMARY may already hold other steps' output.
    await appendFile(resolve(io.cwd, values.summary), changedSummary({ base: project.comparison.ref, changes: project.comparison.changes, advisories: project.advisories, diagnostics: project.diagnostics }));
  }
  // A broken config or policy is a setup problem (2), not an advisory problem (1).
  const setup = project.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
  return setup ? EXIT.usage : project.ok ? EXIT.ok : EXIT.problems;
}
