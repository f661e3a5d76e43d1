// `advisories unseal FILE… | --published`: writes sealed advisories back as clear text; with
// --published, every sealed file whose publish time has come (the repository ends as readable history).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAdvisory } from '../../check/parse-advisory.ts';
import { isSealed } from '../../check/sealed.ts';
import { SealedHeader } from '../../core/schema.ts';
import { isEmbargoed } from '../../core/timing.ts';
import { AdvisoriesError, EXIT } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { common, parse, sealKeys } from '../options.ts';
import { advisoryArg, openText, readText, requireKeys, writeAtomic } from '../seal-files.ts';

export const usage = 'advisories unseal FILE… | --published [--root DIR] [--now TIMESTAMP]';

/** The clear publish time of a sealed text, when its clear part is valid. */
function publishedOf(text: string, file: string): string | undefined {
  const data = parseAdvisory({ file, path: file, text, bytes: Buffer.alloc(0) }, () => []).parsed?.data;
  const header = SealedHeader.safeParse(data);
  return header.success ? header.data.published : undefined;
}

export async function unseal(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { published: { type: 'boolean' } }, true);
  if (Boolean(values.published) === positionals.length > 0) throw new AdvisoriesError('USAGE', `give files or --published: ${usage}`);
  const { root, now } = common(values, io);
  const identities = requireKeys(sealKeys(io), 'unseal');
  const dir = join(root, 'advisories');
  const targets = positionals.length
    ? positionals.map((arg) => advisoryArg(root, io.cwd, arg))
    : (await readdir(dir)).filter((f) => f.endsWith('.md') && !f.startsWith('.')).map((f) => advisoryArg(root, dir, f));
  let count = 0;
  for (const { path, file } of targets) {
    const text = readText(path, file);
    if (!isSealed(text)) {
      if (positionals.length) io.stdout(`${file} is not sealed; left as it is\n`);
      continue;
    }
    const published = publishedOf(text, file);
    const due = published !== undefined && !isEmbargoed(published, now);
    if (values.published && !due) continue;
    await writeAtomic(path, await openText(text, file, identities));
    count++;
    io.stdout(`Unsealed ${file}${due ? ` (published ${published})` : ''}\n`);
    if (!due) io.stderr(`  ${file} is still embargoed: do not commit it in clear text (\`advisories check --staged\` refuses it); seal it again with \`advisories seal ${file}\`\n`);
  }
  if (values.published) io.stdout(`${count} sealed advisor${count === 1 ? 'y' : 'ies'} whose time has come unsealed\n`);
  return EXIT.ok;
}
