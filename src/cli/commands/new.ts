import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { shipped } from '../../core/shipped.ts';
import { toPosix } from '../../check/read-files.ts';
import { compareWithBase } from '../../check/git/base.ts';
import { stringify } from 'yaml';
import { loadConfig } from '../../check/config.ts';
import { loadPolicy } from '../../check/security-md.ts';
import { ID_PATTERN, SEVERITIES, nextId, type AdvisoryInput, type Severity } from '../../core/schema.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import { unsafeText } from '../../core/text.ts';
import type { Io } from '../io.ts';
import { common, parse } from '../options.ts';

export const usage = 'advisories new --title TEXT --severity critical|high|medium|low [--package NAME] [--base REF] [--root DIR]';

/** Without a configured prefix, use the one the existing advisories use most. */
export function guessPrefix(existing: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of existing) if (ID_PATTERN.test(id)) counts.set(id.split('-')[0]!, (counts.get(id.split('-')[0]!) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'ADV';
}

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
  const { values } = parse(args, { title: { type: 'string' }, severity: { type: 'string' }, package: { type: 'string' }, base: { type: 'string' } });
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
  const id = nextId(existing, config.idPrefix ?? guessPrefix(existing), now.getUTCFullYear());
  const today = now.toISOString().slice(0, 10);
  const fm: AdvisoryInput = {
    id,
    title: values.title.trim(),
    summary: 'TODO: one sentence a user can act on.',
    severity: values.severity as Severity,
    ...(values.package ? { package: values.package } : config.package ? {} : { package: 'TODO' }),
    affected: ['>=1.0.0 <1.0.1'],
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
  try {
    const pkg = values.package ?? config.package ?? 'PACKAGE';
    const upgrade = config.upgradeCommand.replace('{package}', pkg).replace('{version}', '1.0.1');
    // Inside the project (its node_modules, or the tool's own repo) the schema path is committed as-is; never one outside it.
    const schema = toPosix(relative(dir, SCHEMA));
    await writeFile(path, template(fm, upgrade, ...(schema.startsWith('../../') ? [] : [schema])), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AdvisoriesError('USAGE', `advisories/${id}.md already exists; not overwriting it`);
    throw error;
  }
  io.stdout(`Created advisories/${id}.md, embargoed until ${fm.published} (the policy's deadline). Edit it, then run \`advisories check\`.\n`);
  return EXIT.ok;
}
