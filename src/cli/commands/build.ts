import { relative, resolve, sep } from 'node:path';
import { publishedAdvisories } from '../../check/project.ts';
import { advisoryHistory } from '../../check/git/history.ts';
import { loadProjectWithHistory } from '../../check/with-history.ts';
import { EXIT, AdvisoriesError, isAdvisoriesError } from '../../core/errors.ts';
import { loadTemplates } from '../../publish/templates.ts';
import { writeSite } from '../../publish/write-site.ts';
import { siteEntries } from '../../render/site.ts';
import { formatText } from '../report/text.ts';
import { sortDiagnostics } from '../../core/diagnostic.ts';
import type { Io } from '../io.ts';
import type { Accel } from '../../accel/index.ts';
import { acceleration, common, formatOf, FORMAT_OPTION, parse, sealKeys, type Common } from '../options.ts';
import { requireOpened } from '../seal-files.ts';

export const usage = 'advisories build [--out DIR] [--format text|json] [--root DIR] [--state DIR] [--now TIMESTAMP]';

export const help = `Usage: ${usage}

Checks, then writes the site: HTML pages, RSS, Atom and JSON feeds, index.json and one OSV record per
published advisory. The new site is built beside the old one and swapped in whole, so a failed build
leaves the previous site as it was. Exit 1 on check errors (nothing is written).

  --out DIR           where the site goes (default ROOT/dist); \`advisories preview\` serves it
  --format text|json  a summary line (default), or {out, built: true, files, published, withdrawn, embargoed}
                      as JSON; on check errors {out, built: false, diagnostics} (the problems also on stderr)
`;

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

export async function build(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' }, ...FORMAT_OPTION });
  const format = formatOf(values.format, ['text', 'json'] as const);
  const options = common(values, io);
  const { root } = options;
  const out = values.out ? resolve(io.cwd, values.out) : resolve(root, 'dist');
  // The site folder is replaced whole: it must never be the project or hold it.
  if (inside(root, out) || inside(out, resolve(root, 'advisories'))) {
    throw new AdvisoriesError('USAGE', `--out ${values.out} would replace the project's own files; choose a separate folder such as ${resolve(root, 'dist')}`);
  }

  const accel = await acceleration(options);
  try {
    return await checkAndWrite({ io, format, options, out, accel });
  } finally {
    await accel?.close();
  }
}

interface Run {
  io: Io;
  format: 'text' | 'json';
  options: Common;
  out: string;
  accel: Accel | undefined;
}

async function checkAndWrite({ io, format, options, out, accel }: Run): Promise<number> {
  const { root, now } = options;
  // `modified` dates from git; a shallow clone adds the git-shallow warning below.
  const project = await loadProjectWithHistory({ root, now, ...accel?.project, keys: sealKeys(io) });
  requireOpened(project.diagnostics);
  if (!project.ok) {
    io.stderr(formatText(project.diagnostics));
    io.stderr('Not building: fix the errors above (`advisories check` shows them too). The previous site is unchanged.\n');
    // A script reading stdout learns that nothing was built, and why, as `check --format json` would say it.
    if (format === 'json') io.stdout(JSON.stringify({ out, built: false, diagnostics: sortDiagnostics(project.diagnostics) }, null, 2) + '\n');
    await accel?.save();
    const setup = project.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('config-'));
    return setup ? EXIT.usage : EXIT.problems;
  }
  // Build logs may be public: warnings about embargoed advisories stay with `advisories check`.
  // A sealed file read without a key is embargoed too (past its time it is an error, above).
  const unread = project.diagnostics.filter((d) => d.ruleId === 'sealed-no-key').map((d) => d.file);
  const hidden = new Set([...project.advisories.filter((a) => a.embargoed).map((a) => a.file), ...unread]);
  const warnings = project.diagnostics.filter((d) => d.severity === 'warning' && !hidden.has(d.file));
  if (warnings.length > 0) io.stderr(formatText(warnings));

  const advisories = publishedAdvisories(project);
  const templates = await loadTemplates(root);
  const csaf = project.config.csaf.enabled;
  const markdown = accel ? await accel.markdown(advisories, { text: csaf }) : undefined;
  // CSAF: the revision history from git, and signatures when the mail's signing key is set (CI passes "" for none).
  const history = csaf ? await advisoryHistory(root, advisories.map((a) => a.file)) : undefined;
  // openpgp is loaded only to sign: an unsigned build never pays for it.
  const signing = csaf && io.env.PGP_PRIVATE_KEY ? await import('../../publish/csaf-sign.ts') : undefined;
  const signer = signing ? await signing.csafSigner(io.env.PGP_PRIVATE_KEY!, io.env.PGP_PASSPHRASE || undefined) : undefined;
  let written: number;
  try {
    const input = { advisories, config: project.config, policy: project.policy, templates, ...(markdown ? { markdown } : {}) };
    const entries = siteEntries({ ...input, ...(history ? { history } : {}), ...(signer ? { csafKey: signer.key } : {}) });
    const writer = await accel?.writer(out, advisories.length);
    written = await writeSite(out, signing && signer ? signing.withCsafSignatures(entries, signer) : entries, writer?.put, writer?.disk);
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

  const embargoed = project.advisories.length - advisories.length + unread.length;
  const withdrawn = advisories.filter((a) => a.withdrawn).length;
  const where = relative(io.cwd, out) || '.';
  if (format === 'json') {
    io.stdout(JSON.stringify({ out, built: true, files: written, published: advisories.length, withdrawn, embargoed }, null, 2) + '\n');
    return EXIT.ok;
  }
  io.stdout(
    `Built ${where}: ${written} files, ${advisories.length} ${advisories.length === 1 ? 'advisory' : 'advisories'} published` +
      `${withdrawn ? ` (${withdrawn} withdrawn)` : ''}, ${embargoed} embargoed and left out.\n`,
  );
  return EXIT.ok;
}
