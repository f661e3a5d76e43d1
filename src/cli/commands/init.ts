// `advisories init`: sets a project up in one go, asking only what it cannot find out.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CONFIG_FILE } from '../../check/config.ts';
import { loadPolicy } from '../../check/security-md.ts';
import { ConfigSchema } from '../../core/config.ts';
import { hasErrors } from '../../core/diagnostic.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import { ecosystemMessage } from '../../core/ecosystems/index.ts';
import { canonicalEcosystem, COMMON_ECOSYSTEMS, detect, pagesUrl, prefixFor } from '../init/project.ts';
import { CHECK_FILE, checkWorkflow, PUBLISH_FILE, publishWorkflow, type ProjectKind } from '../init/workflows.ts';
import type { Io } from '../io.ts';
import { toolRepository, version } from '../version.ts';
import { common, formatOf, FORMAT_OPTION, parse } from '../options.ts';
import { formatText } from '../report/text.ts';

export const usage = 'advisories init [--package NAME] [--ecosystem NAME] [--id-prefix PREFIX] [--product NAME] [--repository URL] [--site-url URL] [--tool SPEC] [--force]';

export const help = `Usage: ${usage}

Sets the project up: writes advisories.config.json, checks SECURITY.md (in .github/, the root or docs/)
and prints what it understood, adds dist/, outbox/ and .advisories-state/ to .gitignore, creates
advisories/, and writes .github/workflows/advisories-check.yml and advisories-publish.yml.
Asks for what it cannot find in package.json, pyproject.toml, Cargo.toml or go.mod when run in a
terminal; otherwise give it as options. Files that exist are kept unless --force.

  --package NAME      the package advisories are about (e.g. acme-sdk)
  --ecosystem NAME    its OSV ecosystem: ${COMMON_ECOSYSTEMS.join(', ')}, … (any case)
  --id-prefix PREFIX  advisory ids are PREFIX-YYYY-NNNN (default from the package name)
  --product NAME      the name pages and mail use (default the package)
  --repository URL    the project's repository (default the GitHub remote "origin")
  --site-url URL      where the site is served (default the repository's GitHub Pages address)
  --tool SPEC         what the workflows of a project without package.json run through npx, pinned
                      (default the release tarball of this version; advisories@VERSION once on npm)
  --kind npm|npx      a project with package.json installs the tool as a devDependency (npm), any other
                      runs it through npx (default: npm when package.json exists)
  --force             overwrite the config and the workflows if they exist
  --format text|json  what was done, as text (default) or JSON
`;

/** The pinned tool for npx until the package is on the registry: the release's tarball (release.yml attaches it). */
export const releaseTarball = (v: string) => {
  const repo = toolRepository();
  return repo ? `https://github.com/${repo}/releases/download/v${v}/advisories-${v}.tgz` : `advisories@${v}`;
};

const GITIGNORE = ['dist/', 'outbox/', '.advisories-state/'];

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

export async function init(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    package: { type: 'string' },
    ecosystem: { type: 'string' },
    'id-prefix': { type: 'string' },
    product: { type: 'string' },
    repository: { type: 'string' },
    'site-url': { type: 'string' },
    tool: { type: 'string' },
    kind: { type: 'string' },
    force: { type: 'boolean' },
    ...FORMAT_OPTION,
  });
  const format = formatOf(values.format, ['text', 'json'] as const);
  const { root } = common(values, io);
  const found = detect(root);
  const ask = async (question: string, fallback: string | undefined): Promise<string | undefined> => {
    if (!io.prompt) return fallback;
    const answer = (await io.prompt(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim();
    return answer || fallback;
  };

  const pkg = values.package ?? (await ask('Package name', found.package));
  if (!pkg) throw new AdvisoriesError('USAGE', `no package name found (package.json, pyproject.toml, Cargo.toml, go.mod): give it with --package NAME`);
  const ecosystemInput = values.ecosystem ?? (await ask(`Ecosystem (${COMMON_ECOSYSTEMS.join(', ')}, …)`, found.ecosystem));
  if (!ecosystemInput) throw new AdvisoriesError('USAGE', `no ecosystem found: give it with --ecosystem, e.g. ${COMMON_ECOSYSTEMS.join(', ')}`);
  const ecosystem = canonicalEcosystem(ecosystemInput);
  if (!ecosystem) throw new AdvisoriesError('USAGE', `--ecosystem: ${ecosystemMessage(ecosystemInput)}`);
  const idPrefix = values['id-prefix'] ?? (await ask('Advisory id prefix', prefixFor(pkg)));
  const kind = (values.kind ?? found.kind) as ProjectKind;
  if (kind !== 'npm' && kind !== 'npx') throw new AdvisoriesError('USAGE', `--kind must be npm or npx, not "${values.kind}"`);
  const repository = values.repository ?? found.repository;
  const siteUrl = values['site-url'] ?? pagesUrl(repository);

  const config = {
    $schema: kind === 'npm' ? './node_modules/advisories/schema/config.schema.json' : undefined,
    product: values.product ?? pkg,
    ...(siteUrl ? { siteUrl } : {}),
    idPrefix,
    package: pkg,
    ecosystem,
    ...(repository ? { repository } : {}),
  };
  const parsed = ConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AdvisoriesError('USAGE', `the configuration would be invalid: ${issue.path.join('.')}: ${issue.message}`);
  }

  const done: { file: string; action: 'written' | 'kept' | 'updated' }[] = [];
  const put = async (file: string, text: string) => {
    const path = join(root, file);
    if (existsSync(path) && !values.force) return void done.push({ file, action: 'kept' });
    await writeAtomic(path, text);
    done.push({ file, action: 'written' });
  };

  await put(CONFIG_FILE, JSON.stringify(config, null, 2) + '\n');
  // A kept config is the one in effect: say what it holds, not what this run's answers would have written.
  const kept = done.at(-1)?.action === 'kept';
  const inEffect: Partial<typeof config> = kept ? await readKept(join(root, CONFIG_FILE)) : config;
  await mkdir(join(root, 'advisories'), { recursive: true });

  // .gitignore: the built site, the local outbox and the state folder (the ledger names subscribers).
  const ignorePath = join(root, '.gitignore');
  const ignore = existsSync(ignorePath) ? await readFile(ignorePath, 'utf8') : '';
  const present = new Set(ignore.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE.filter((l) => !present.has(l) && !present.has(l.slice(0, -1)) && !present.has(`/${l}`));
  if (missing.length) {
    await writeAtomic(ignorePath, `${ignore}${ignore && !ignore.endsWith('\n') ? '\n' : ''}# advisories (advisories init)\n${missing.join('\n')}\n`);
    done.push({ file: '.gitignore', action: 'updated' });
  }

  const workflow = { kind, tool: values.tool ?? releaseTarball(version()), branch: found.branch ?? 'main', version: version() };
  await put(`.github/workflows/${CHECK_FILE}`, checkWorkflow(workflow));
  await put(`.github/workflows/${PUBLISH_FILE}`, publishWorkflow(workflow));

  const { policy, diagnostics, file: policyFile } = await loadPolicy(root);
  const policyFound = !diagnostics.some((d) => d.ruleId === 'policy-missing');

  if (format === 'json') {
    io.stdout(JSON.stringify({ root, kind, config: inEffect, files: done, policy: { file: policyFound ? policyFile : null, ...policy, diagnostics } }, null, 2) + '\n');
    return hasErrors(diagnostics) ? EXIT.problems : EXIT.ok;
  }
  const out: string[] = [`Set up ${relative(io.cwd, root) || '.'} for ${inEffect.ecosystem ?? 'npm'} package ${inEffect.package ?? '(none)'} (ids ${inEffect.idPrefix ?? 'as the advisories use'}-YYYY-NNNN):`];
  for (const d of done) out.push(`  ${d.action.padEnd(7)}  ${d.file}`);
  if (kept) out.push(`  (${CONFIG_FILE} existed and was kept as it is: --force writes it from this run's answers)`);
  out.push('');
  if (!policyFound) {
    out.push('SECURITY.md: not found in .github/, the root or docs/. Add one with a "Supported Versions" table; see the README.');
  } else {
    out.push(`${policyFile}: what the checks will use`);
    for (const l of policy.lines) out.push(`  ${l.spec.padEnd(14)}  ${l.supported ? 'supported' : 'not supported'}`);
    if (policy.lines.length === 0) out.push('  (no supported versions understood)');
    for (const t of policy.timelines) out.push(`  ${t.severity.padEnd(14)}  ${t.days === null ? 'no deadline' : `fix within ${t.days} day${t.days === 1 ? '' : 's'}`}`);
  }
  out.push('');
  if (kind === 'npm') out.push('Next: npm i -D advisories (until it is on npm: see the README, "Install"), then commit the files above.');
  else out.push(`The workflows run ${workflow.tool} through npx; no package.json is needed. Commit the files above.`);
  out.push('Then: advisories new --title "…" --severity high, advisories check, advisories build, advisories preview.');
  if (!(inEffect as { mail?: unknown }).mail) {
    out.push(`Before mail can go out (advisories notify, the publish workflow): add a "mail" section to ${CONFIG_FILE} (from, listId, unsubscribeUrl; docs/mail.md in the package, "Configuration").`);
  }
  io.stdout(out.join('\n') + '\n');
  if (diagnostics.length && policyFound) io.stderr(formatText(diagnostics));
  return hasErrors(diagnostics) ? EXIT.problems : EXIT.ok;
}

/** The settings of a config init kept; what cannot be read as JSON reads as none (check reports it). */
async function readKept(path: string): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
