// `advisories seal [FILE…]`: encrypts advisories for the recipients in the config; a sealed one is
// opened and sealed again for the current list (a vendor added or removed).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isSealed } from '../../check/sealed.ts';
import { EXIT } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { common, parse, sealKeys } from '../options.ts';
import { advisoryArg, openText, readText, recipientsOf, requireKeys, sealClear, writeAtomic } from '../seal-files.ts';

export const usage = 'advisories seal [FILE…] [--root DIR]  (no FILE: every sealed file again, for the current recipients)';

export async function seal(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {}, true);
  const { root } = common(values, io);
  const recipients = await recipientsOf(root);
  const dir = join(root, 'advisories');
  const targets = positionals.length
    ? positionals.map((arg) => advisoryArg(root, io.cwd, arg))
    : (await readdir(dir)).filter((f) => f.endsWith('.md') && !f.startsWith('.')).map((f) => advisoryArg(root, dir, f));
  for (const { path, file } of targets) {
    const text = readText(path, file);
    const sealed = isSealed(text);
    if (!sealed && positionals.length === 0) continue;
    const clear = sealed ? await openText(text, file, requireKeys(sealKeys(io), `re-sealing ${file}`)) : text;
    await writeAtomic(path, await sealClear(clear, file, recipients));
    io.stdout(`${sealed ? 'Re-sealed' : 'Sealed'} ${file} for ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}\n`);
  }
  return EXIT.ok;
}
