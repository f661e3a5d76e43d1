import { relative, resolve, sep } from 'node:path';
import { loadTemplates } from '../../deliver/templates.ts';
import { SiteWriteError, writeSite } from '../../deliver/write-site.ts';
import { publishedAdvisories } from '../../project/load-project.ts';
import { loadProjectWithHistory } from '../../project/with-history.ts';
import { collectGarbage } from '../../project/memory.ts';
import { prepareRendering } from '../../project/render-cache.ts';
import { prepareIndexParts } from '../../project/index-cache.ts';
import { siteEntries, toRender } from '../../render/site.ts';
import type { SiteInput } from '../../render/site-input.ts';
import { openPrevious } from '../../deliver/previous-site.ts';
import { toolFingerprint } from '../../project/fingerprint.ts';
import { ZipLimitError } from '../../render/zip.ts';
import { formatText } from '../../report/text.ts';
import { EXIT, UserError } from '../errors.ts';
import type { Io } from '../io.ts';
import { common, parse } from '../options.ts';

export const usage = 'advisories build [--root DIR] [--out DIR] [--state DIR] [--now TIMESTAMP]';

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

export async function build(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  const { root, now, state } = common(values, io);
  const out = values.out ? resolve(io.cwd, values.out) : resolve(root, 'dist');
  // The site folder is replaced whole: it must never be the project or hold it.
  if (inside(root, out) || inside(out, resolve(root, 'advisories'))) {
    throw new UserError(`--out ${values.out} would replace the project's own files; choose a separate folder such as ${resolve(root, 'dist')}`);
  }

  // `modified` dates from git; a shallow clone adds the git-shallow warning below.
  const project = await loadProjectWithHistory({ root, now, state });
  if (!project.ok) {
    io.stderr(formatText(project.diagnostics));
    io.stderr('Not building: fix the errors above (`advisories check` shows them too). The previous site is unchanged.\n');
    const setup = project.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
    return setup ? EXIT.usage : EXIT.problems;
  }
  // Build logs may be public: warnings about embargoed advisories stay with `advisories check`.
  const hidden = new Set(project.advisories.filter((a) => a.embargoed).map((a) => a.file));
  const warnings = project.diagnostics.filter((d) => d.severity === 'warning' && !hidden.has(d.file));
  if (warnings.length > 0) io.stderr(formatText(warnings));

  const advisories = publishedAdvisories(project);
  // Pages and OSV records rendered from the same key as an earlier build's are carried over.
  const templates = await loadTemplates(root);
  const previous = await openPrevious(out);
  let written: number;
  let rendering: Awaited<ReturnType<typeof prepareRendering>>;
  let index: Awaited<ReturnType<typeof prepareIndexParts>>;
  try {
    const input: SiteInput = {
      advisories,
      config: project.config,
      policy: project.policy,
      templates,
      fingerprint: toolFingerprint(),
      sourceKey: project.sourceKey,
      previous,
    };
    // Each body still to render is rendered once (spread over cores, cached in the state folder) for every output.
    rendering = await prepareRendering(toRender(input), state, { keep: advisories });
    // The index files' per-advisory shares: the unchanged ones from the state folder.
    index = await prepareIndexParts(input, state);
    input.indexParts = index.known;
    // Only after a large render: a full collection costs tens of milliseconds.
    if (rendering.stats.misses > 5000) collectGarbage();
    written = await writeSite(out, siteEntries(input), previous);
  } catch (error) {
    // The file system refused (permissions, space, a file in the way): the user's to fix. Anything else is a bug.
    if (error instanceof ZipLimitError) throw new UserError(`${error.message}. The previous site is unchanged.`, EXIT.problems);
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof SiteWriteError) && !code) throw error;
    const reason = error instanceof SiteWriteError ? error.message : `${code}: ${(error as Error).message}`;
    throw new UserError(`could not write the site (${reason}). The previous site is unchanged.`, EXIT.problems);
  } finally {
    await previous.release();
  }

  // The caches are an optimisation: failing to store them must not fail a build that succeeded.
  await Promise.all([rendering.save().catch(() => undefined), index.save()]);

  const embargoed = project.advisories.length - advisories.length;
  const withdrawn = advisories.filter((a) => a.withdrawn).length;
  const where = relative(io.cwd, out) || '.';
  io.stdout(
    `Built ${where}: ${written} files, ${advisories.length} advisories published` +
      `${withdrawn ? ` (${withdrawn} withdrawn)` : ''}, ${embargoed} embargoed and left out.\n`,
  );
  return EXIT.ok;
}
