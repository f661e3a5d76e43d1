import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { ecosystemMessage, isOsvEcosystem, schemeFor, upgradeCommand, upgradeTemplate } from '../../core/ecosystems/index.ts';
import { shipped } from '../../core/shipped.ts';
import { toPosix } from '../../check/read-files.ts';
import { compareWithBase } from '../../check/git/base.ts';
import { stringify } from 'yaml';
import { loadConfig } from '../../check/config.ts';
import { loadPolicy } from '../../check/security-md.ts';
import { sealText } from '../../check/sealed.ts';
import { ID_PATTERN, SEVERITIES, nextId, type AdvisoryInput, type Severity } from '../../core/schema.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import { unsafeText } from '../../core/text.ts';
import type { Io } from '../io.ts';
import { toolRepository, version } from '../version.ts';
import { common, formatOf, FORMAT_OPTION, parse } from '../options.ts';

export const usage = 'advisories new --title TEXT --severity critical|high|medium|low [--package NAME] [--ecosystem NAME] [--base REF] [--format text|json]';

export const help = `Usage: ${usage}

Writes advisories/<PREFIX>-<YEAR>-<NNNN>.md with the next free id, embargoed until the deadline
SECURITY.md sets for the severity (90 days when it sets none). Edit it, then run \`advisories check\`.

  --title TEXT        one line of plain text
  --severity LEVEL    critical, high, medium or low
  --package NAME      when the config sets no default package
  --ecosystem NAME    when it differs from the config's (an OSV ecosystem name: npm, PyPI, Go, …)
  --base REF          ids already on REF (e.g. origin/main) count as taken
  --format text|json  a sentence (default), or {id, file, published} as JSON
`;

/** Without a configured prefix, use the one the existing advisories use most. */
export function guessPrefix(existing: readonly string[], pkg?: string): string {
  const counts = new Map<string, number>();
  for (const id of existing) if (ID_PATTERN.test(id)) counts.set(id.split('-')[0]!, (counts.get(id.split('-')[0]!) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? prefixOf(pkg) ?? 'ADV';
}

/** The first word of a package name as an id prefix: acme-sdk → ACME, @scope/tool → SCOPE, org.acme:core → ORG. */
const prefixOf = (pkg: string | undefined) => /[A-Za-z][A-Za-z0-9]*/.exec(pkg ?? '')?.[0]?.toUpperCase().slice(0, 10);

/** The bundled JSON Schema, wherever the package is installed (editors validate the frontmatter with it). */
const SCHEMA = shipped('schema/advisory.schema.json');

/** Deadline from SECURITY.md (90 days when it sets none), at noon UTC. */
export function draftPublication(now: Date, days: number | null | undefined): string {
  const date = new Date(now.getTime() + (days ?? 90) * 24 * 3600 * 1000);
  return `${date.toISOString().slice(0, 10)}T12:00:00Z`;
}

export function template(fm: AdvisoryInput, upgrade: string, schemaPath = '../schema/advisory.schema.json'): string {
  // The range is a placeholder that is valid semver: a TODO beside it keeps placeholder-text failing until it is edited.
  const yaml = stringify(fm, { lineWidth: 0 }).replace(/^(affected|patched):(.*)$/gm, '$1:$2 # TODO: the real versions');
  return `---
# yaml-language-server: $schema=${schemaPath}
${yaml}---

## Impact

TODO: what an attacker can do, and who is exposed.

## Patches

TODO: fixed in ${(fm.patched as string[] | undefined)?.join(', ') || 'TODO'}. Upgrade with \`${upgrade}\`.

## Workarounds

TODO: what users who cannot upgrade yet can do.

## References

- TODO: links to the fix and the report
`;
}

export async function newAdvisory(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { title: { type: 'string' }, severity: { type: 'string' }, package: { type: 'string' }, ecosystem: { type: 'string' }, base: { type: 'string' }, ...FORMAT_OPTION });
  const format = formatOf(values.format, ['text', 'json'] as const);
  if (!values.title?.trim()) throw new AdvisoriesError('USAGE', `--title is required: ${usage}`);
  const unsafe = unsafeText(values.title);
  if (unsafe) throw new AdvisoriesError('USAGE', `--title must be one line of plain text (it goes into mail headers): it contains ${unsafe.what}`);
  if (!SEVERITIES.includes(values.severity as Severity)) throw new AdvisoriesError('USAGE', `--severity must be one of ${SEVERITIES.join(', ')}`);
  const { root, now } = common(values, io);
  const [{ config, diagnostics }, { policy }] = await Promise.all([loadConfig(root), loadPolicy(root)]);
  if (diagnostics.length) throw new AdvisoriesError('USAGE', `${diagnostics[0]!.file}: ${diagnostics[0]!.message}`);
  const dir = join(root, 'advisories');
  await mkdir(dir, { recursive: true });
  const existing = (await readdir(dir)).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
  // Ids already merged on the base (e.g. origin/main) are taken too, even if this branch has not seen them yet.
  if (values.base) existing.push(...[...(await compareWithBase(root, values.base)).baseFiles.keys()].map((f) => basename(f, '.md')));
  if (values.ecosystem !== undefined && !isOsvEcosystem(values.ecosystem)) throw new AdvisoriesError('USAGE', `--ecosystem: ${ecosystemMessage(values.ecosystem)}`);
  const ecosystem = values.ecosystem ?? config.ecosystem;
  const scheme = schemeFor(ecosystem);
  const id = nextId(existing, config.idPrefix ?? guessPrefix(existing, values.package ?? config.package), now.getUTCFullYear());
  const today = now.toISOString().slice(0, 10);
  const fm: AdvisoryInput = {
    id,
    title: values.title.trim(),
    summary: 'TODO: one sentence a user can act on.',
    severity: values.severity as Severity,
    ...(values.package ? { package: values.package } : config.package ? {} : { package: 'TODO' }),
    ...(ecosystem !== config.ecosystem ? { ecosystem } : {}),
    affected: [scheme.between('1.0.0', '1.0.1')],
    patched: ['1.0.1'],
    aliases: [],
    cwe: [],
    credits: [],
    references: [],
    reported: today,
    // The policy's deadline as the embargo date: the draft stays unpublished until then.
    published: draftPublication(now, policy.timelines.find((t) => t.severity === values.severity)?.days),
  };
  const path = join(dir, `${id}.md`);
  const sealFor = config.visibility === 'public' ? config.seal?.recipients : undefined;
  try {
    const pkg = values.package ?? config.package ?? 'PACKAGE';
    const upgrade = upgradeCommand(upgradeTemplate(config.upgradeCommand, ecosystem), ecosystem, pkg, '1.0.1');
    // Inside the project (its node_modules, or the tool's own repo) the schema path is committed as-is; never one
    // outside it. Run through npx, the tool is outside: the schema of this version in the tool's repository.
    const local = toPosix(relative(dir, SCHEMA));
    const repo = toolRepository();
    const schema = !local.startsWith('../../') ? local : repo ? `https://raw.githubusercontent.com/${repo}/v${version()}/schema/advisory.schema.json` : undefined;
    const text = template(fm, upgrade, ...(schema ? [schema] : []));
    // In a public repository a draft is sealed from the start, when the config says for whom.
    await writeFile(path, sealFor ? await sealText(text, { id, published: fm.published as string }, sealFor) : text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AdvisoriesError('USAGE', `advisories/${id}.md already exists; not overwriting it`);
    throw error;
  }
  if (format === 'json') {
    io.stdout(JSON.stringify({ id, file: `advisories/${id}.md`, published: fm.published }, null, 2) + '\n');
    return EXIT.ok;
  }
  const file = `advisories/${id}.md`;
  io.stdout(
    sealFor
      ? `Created ${file}, sealed for ${sealFor.length} recipient${sealFor.length === 1 ? '' : 's'}, embargoed until ${fm.published} (the policy's deadline). Edit it with \`advisories edit ${file}\`.\n`
      : `Created ${file}, embargoed until ${fm.published} (the policy's deadline). Edit it, then run \`advisories check\`.\n` +
          (config.visibility === 'public' ? `This repository is public: seal the draft (\`advisories seal ${file}\`) before you commit it; see docs/publishing.md.\n` : ''),
  );
  return EXIT.ok;
}
