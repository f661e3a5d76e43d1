import { relative, resolve, sep } from 'node:path';
import { publishedAdvisories } from '../../check/project.ts';
import { loadProjectWithHistory } from '../../check/with-history.ts';
import { EXIT, AdvisoriesError, isAdvisoriesError } from '../../core/errors.ts';
import { loadTemplates } from '../../publish/templates.ts';
import { writeSite } from '../../publish/write-site.ts';
import { siteEntries } from '../../render/site.ts';
import { formatText } from '../report/text.ts';
import type { Io } from '../io.ts';
import { acceleration, common, parse } from '../options.ts';

export const usage = 'advisories build [--root DIR] [--out DIR] [--state DIR] [--now TIMESTAMP] [--verbose] [--no-accel]';

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

export async function build(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  const options = common(values, io);
  const { root, now } = options;
  const out = values.out ? resolve(io.cwd, values.out) : resolve(root, 'dist');
  // The site folder is replaced whole: it must never be the project or hold it.
  if (inside(root, out) || inside(out, resolve(root, 'advisories'))) {
    throw new AdvisoriesError('USAGE', `--out ${values.out} would replace the project's own files; choose a separate folder such as ${resolve(root, 'dist')}`);
  }

  const accel = await acceleration(options);
  // `modified` dates from git; a shallow clone adds the git-shallow warning below.
  const project = await loadProjectWithHistory({ root, now, ...(accel ? { checker: accel.checker } : {}) });
  if (!project.ok) {
    io.stderr(formatText(project.diagnostics));
    io.stderr('Not building: fix the errors above (`advisories check` shows them too). The previous site is unchanged.\n');
    await accel?.save();
    const setup = project.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
    return setup ? EXIT.usage : EXIT.problems;
  }
  // Build logs may be public: warnings about embargoed advisories stay with `advisories check`.
  const hidden = new Set(project.advisories.filter((a) => a.embargoed).map((a) => a.file));
  const warnings = project.diagnostics.filter((d) => d.severity === 'warning' && !hidden.has(d.file));
  if (warnings.length > 0) io.stderr(formatText(warnings));

  const advisories = publishedAdvisories(project);
  const templates = await loadTemplates(root);
  const markdown = accel ? await accel.markdown(advisories) : undefined;
  let written: number;
  try {
    const entries = siteEntries({ advisories, config: project.config, policy: project.policy, templates, ...(markdown ? { markdown } : {}) });
    written = await writeSite(out, entries, accel?.putFile(out));
  } catch (error) {
    // The file system refused (permissions, space, a file in the way): the user's to fix. Anything else is a bug.
    const code = (error as NodeJS.ErrnoException).code;
    if (!isAdvisoriesError(error, 'SITE_WRITE') && !code) throw error;
    // Node's message already starts with the code ("ENOSPC: no space left on device, write").
    const message = isAdvisoriesError(error) ? error.message : (error as Error).message;
    const reason = code && !message.startsWith(code) ? `${code}: ${message}` : message;
    const advice = code === 'ENOSPC' || code === 'EDQUOT' ? ' Free space on that disk, then build again.' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? ' Make the output folder\'s parent writable, or pass another --out.' : '';
    throw new AdvisoriesError('SITE_WRITE', `could not write the site (${reason}). The previous site is unchanged.${advice}`, { cause: error });
  }
  await accel?.save();
  if (options.verbose && accel) io.stderr(accel.report());

  const embargoed = project.advisories.length - advisories.length;
  const withdrawn = advisories.filter((a) => a.withdrawn).length;
  const where = relative(io.cwd, out) || '.';
  io.stdout(
    `Built ${where}: ${written} files, ${advisories.length} ${advisories.length === 1 ? 'advisory' : 'advisories'} published` +
      `${withdrawn ? ` (${withdrawn} withdrawn)` : ''}, ${embargoed} embargoed and left out.\n`,
  );
  return EXIT.ok;
}
