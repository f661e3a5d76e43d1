// `advisories keygen --out FILE`: a new age key pair. The secret key goes only into the new file
// (never to output); its public key is printed, to add to "seal.recipients".
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { newIdentity } from '../../check/sealed.ts';
import { AdvisoriesError, EXIT } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { parse } from '../options.ts';

export const usage = 'advisories keygen --out FILE';

export async function keygen(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  if (!values.out) throw new AdvisoriesError('USAGE', `say where to write the secret key: ${usage}`);
  const { identity, recipient } = await newIdentity();
  try {
    await writeFile(resolve(io.cwd, values.out), `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    throw new AdvisoriesError('USAGE', `cannot write ${values.out} (${(error as NodeJS.ErrnoException).code ?? 'error'}); it must not exist yet`);
  }
  io.stdout(`Wrote the secret key to ${values.out}. Public key, for "seal.recipients":\n${recipient}\n`);
  return EXIT.ok;
}
