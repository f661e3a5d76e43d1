import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stagedCopy } from '../../check/git/staged.ts';
import { loadProjectWithHistory } from '../../check/with-history.ts';
import { rootRelative } from '../../check/read-files.ts';
import { FORMATS, formatDiagnostics, type Format } from '../report/index.ts';
import { changedSummary } from '../report/summary.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { acceleration, common, parse, sealKeys } from '../options.ts';

export const usage =
  'advisories check [--root DIR] [--format text|json|github] [--base REF [--summary FILE] | --staged] [--now TIMESTAMP]';

export const help = `Usage: ${usage}

Checks every advisory in advisories/ against the schema, SECURITY.md and the config, and reports every
problem once, with its file:line:column, rule id and a fix. Exit 0 clean (warnings allowed), 1 any error,
2 a configuration error.

  --format text|json|github  text (default), a JSON array of diagnostics, or GitHub workflow annotations
  --base REF                 also the review checks against a base branch, e.g. --base origin/main
  --summary FILE             append a Markdown table of the advisories the branch changes (needs --base)
`;

export async function check(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string', default: 'text' },
    base: { type: 'string' },
    summary: { type: 'string' },
    staged: { type: 'boolean' },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new AdvisoriesError('USAGE', `--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  if (values.summary !== undefined && !values.base) throw new AdvisoriesError('USAGE', '--summary lists what a branch changes, so it needs --base REF (e.g. --base origin/main)');
  if (values.staged && values.base) throw new AdvisoriesError('USAGE', '--staged checks what the next commit holds; --base compares branches: use one at a time');
  const options = common(values, io);
  const { now } = options;
  // The pre-commit hook's check: the index's files, not the working tree's (no history, no store).
  const staged = values.staged ? await stagedCopy(options.root) : undefined;
  const root = staged?.root ?? options.root;
  const accel = staged ? undefined : await acceleration(options);
  const project = await loadProjectWithHistory({ root, now, ...accel?.project, keys: sealKeys(io), ...(values.base ? { base: values.base } : {}) }).finally(() => Promise.all([staged?.cleanup(), accel?.close()]));
  await accel?.save();
  if (options.verbose && accel) io.stderr(accel.report());
  io.stdout(formatDiagnostics(project.diagnostics, format));
  if (format === 'text') {
    // Every file found counts, those with errors too: they were checked, and are named above.
    // Those with errors too (they are named above as embargoed), and sealed ones read only in their clear part.
    const embargoed = new Set(project.diagnostics.filter((d) => d.ruleId === 'embargoed').map((d) => d.file)).size;
    const failed = new Set(project.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
    const withErrors = project.files.filter((path) => failed.has(rootRelative(root, path))).length;
    const n = project.files.length;
    const unread = project.diagnostics.filter((d) => d.ruleId === 'sealed-no-key' || d.ruleId === 'sealed-due-no-key').length;
    io.stdout(`${n} ${n === 1 ? 'advisory' : 'advisories'} checked: ${withErrors} with errors, ${embargoed} embargoed${unread ? `, ${unread} sealed and not read (no key)` : ''}\n`);
  }
  if (values.summary !== undefined && project.comparison) {
    // Appended, not overwritten: $GITHUB_STEP_SUMMARY may already hold other steps' output.
    await appendFile(resolve(io.cwd, values.summary), changedSummary({ base: project.comparison.ref, changes: project.comparison.changes, advisories: project.advisories, diagnostics: project.diagnostics, sealed: project.sealed }));
  }
  // A broken config or policy is a setup problem (2), not an advisory problem (1).
  const setup = project.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
  return setup ? EXIT.usage : project.ok ? EXIT.ok : EXIT.problems;
}
