// `advisories edit FILE`: opens a sealed advisory's clear text in $EDITOR and seals what was saved.
// The clear text lives only in a private temporary folder, removed afterwards whatever happens.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isSealed } from '../../check/sealed.ts';
import { AdvisoriesError, EXIT } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { common, parse, sealKeys } from '../options.ts';
import { advisoryArg, openText, readText, recipientsOf, requireKeys, sealClear, writeAtomic } from '../seal-files.ts';

export const usage = 'advisories edit FILE [--root DIR]  (opens $VISUAL or $EDITOR)';

export async function edit(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {}, true);
  if (positionals.length !== 1) throw new AdvisoriesError('USAGE', `give one file: ${usage}`);
  const { root } = common(values, io);
  const { path, file } = advisoryArg(root, io.cwd, positionals[0]!);
  const text = readText(path, file);
  if (!isSealed(text)) throw new AdvisoriesError('USAGE', `${file} is not sealed: edit it directly, then \`advisories seal ${file}\``);
  const recipients = await recipientsOf(root);
  const clear = await openText(text, file, requireKeys(sealKeys(io), 'edit'));
  const editor = io.env.VISUAL || io.env.EDITOR || 'vi';
  const dir = mkdtempSync(join(tmpdir(), 'advisories-edit-'));
  try {
    const temp = join(dir, basename(path));
    writeFileSync(temp, clear, { mode: 0o600 });
    // Through the shell, as git runs $EDITOR: the variable may hold arguments (`code --wait`).
    const run = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', temp], { stdio: 'inherit', env: io.env, cwd: io.cwd });
    if (run.status !== 0) throw new AdvisoriesError('USAGE', `the editor (${editor}) exited with ${run.status ?? run.signal}; ${file} is unchanged`);
    const edited = readFileSync(temp, 'utf8');
    if (edited === clear) {
      io.stdout(`${file} unchanged\n`);
      return EXIT.ok;
    }
    await writeAtomic(path, await sealClear(edited, file, recipients));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  io.stdout(`Sealed ${file} again for ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}; run \`advisories check\` with your key to check it\n`);
  return EXIT.ok;
}
