import { advisoriesAffecting, parseVersion } from '../../core/affected.ts';
import { schemeFor } from '../../core/ecosystems/index.ts';
import { loadProject, publishedAdvisories } from '../../check/project.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { acceleration, common, formatOf, FORMAT_OPTION, parse, sealKeys } from '../options.ts';

export const usage = 'advisories affected <version> [--format text|json] [--root DIR] [--now TIMESTAMP]';

export const help = `Usage: ${usage}

Lists the published advisories that affect <version> (the exact version you run), each with the
version to upgrade to. Exit 1 when any does, 0 when none, 2 when <version> is not a version.

  --format text|json  text (default) or a JSON array of {id, severity, title, upgradeTo}
  --json              the same as --format json (kept for scripts written before --format)
`;

export async function affected(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...FORMAT_OPTION, json: { type: 'boolean' } }, true);
  const format = values.json ? 'json' : formatOf(values.format, ['text', 'json'] as const);
  if (positionals.length !== 1) throw new AdvisoriesError('USAGE', `Give exactly one version: ${usage}`);
  // Read in the project's ecosystem (PEP 440 for PyPI, …): checked once the config is known.
  if (!/\d/.test(positionals[0]!)) throw new AdvisoriesError('USAGE', `"${positionals[0]}" is not a version; give the exact version you run, e.g. 1.3.0`);
  const options = common(values, io);
  const { root, now } = options;
  // The store is only read: a query leaves the state folder as it was.
  const accel = await acceleration(options, { readOnly: true });
  const project = await loadProject({ root, now, ...accel?.project, keys: sealKeys(io) }).finally(() => accel?.close());
  const scheme = schemeFor(project.config.ecosystem);
  const version = parseVersion(positionals[0]!, scheme.ecosystem);
  if (!version) throw new AdvisoriesError('USAGE', `"${positionals[0]}" is not a ${scheme.ecosystem === 'npm' ? '' : `${scheme.ecosystem} `}version; give the exact version you run, e.g. ${scheme.versionExample}`);
  // Only what is public: an embargoed advisory must not leak through this command either.
  const verdicts = advisoriesAffecting(publishedAdvisories(project), version);
  if (format === 'json') {
    io.stdout(JSON.stringify(verdicts.map((v) => ({ id: v.advisory.id, severity: v.advisory.severity, title: v.advisory.title, upgradeTo: v.upgradeTo })), null, 2) + '\n');
  } else if (verdicts.length === 0) {
    io.stdout(`${version} is not affected by any published advisory.\n`);
  } else {
    io.stdout(`${version} is affected by ${verdicts.length} advisor${verdicts.length === 1 ? 'y' : 'ies'}:\n`);
    for (const { advisory: a, upgradeTo } of verdicts) {
      const fix = upgradeTo ? `upgrade to ${upgradeTo}` : 'no fix released for this line: upgrade to a supported line';
      io.stdout(`  ${a.id}  ${a.severity.toUpperCase().padEnd(8)}  ${a.title}  → ${fix}\n`);
    }
  }
  if (!project.ok) io.stderr('Note: some advisories have errors and were left out; run `advisories check`.\n');
  return verdicts.length > 0 ? EXIT.problems : EXIT.ok;
}
