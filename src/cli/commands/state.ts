// `advisories state restore|save`: the mail ledger between CI runs, on an encrypted state branch.
import { relative } from 'node:path';
import { restoreState, saveState, type StateBranch } from '../../state/branch.ts';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { common, formatOf, FORMAT_OPTION, parse } from '../options.ts';

export const usage = 'advisories state restore|save [--branch advisories-state] [--remote origin] [--root DIR] [--state DIR] [--format text|json]  (needs STATE_PASSPHRASE)';

export const help = `Usage: ${usage}

Carries the mail ledger between CI runs as one encrypted file on a git branch. \`restore\` unpacks it into
the state folder (and says so when the branch does not exist yet); \`save\` pushes the state folder as a
new commit on the branch, fast-forward only. STATE_PASSPHRASE (16+ characters) encrypts it.

  --branch NAME   the state branch (default advisories-state)
  --remote NAME   the remote (default origin)
  --format text|json  a sentence (default), or JSON: {action, branch, state, found, files} for restore,
                  {action, branch, state, saved, commit | skipped} for save (skipped: "empty" or "unchanged")
`;

export async function state(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { branch: { type: 'string', default: 'advisories-state' }, remote: { type: 'string', default: 'origin' }, ...FORMAT_OPTION }, true);
  const format = formatOf(values.format, ['text', 'json'] as const);
  const json = (o: object) => io.stdout(JSON.stringify({ action, branch: where, state: dir, ...o }, null, 2) + '\n');
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'restore' && action !== 'save')) throw new AdvisoriesError('USAGE', `say what to do: ${usage}`);
  const passphrase = io.env.STATE_PASSPHRASE;
  if (!passphrase || passphrase.length < 16) {
    throw new AdvisoriesError('USAGE', 'STATE_PASSPHRASE must be set (16+ characters, a repository secret): the ledger names subscribers, so it is stored encrypted');
  }
  const { root, state: dir } = common(values, io);
  const where = `${values.remote}/${values.branch}`;
  const shown = relative(io.cwd, dir) || '.';
  const identity = { GIT_AUTHOR_NAME: 'advisories', GIT_AUTHOR_EMAIL: 'advisories@localhost', GIT_COMMITTER_NAME: 'advisories', GIT_COMMITTER_EMAIL: 'advisories@localhost' };
  const env = Object.fromEntries(Object.entries(identity).map(([k, v]) => [k, io.env[k] || v]));
  const o: StateBranch = { root, state: dir, remote: values.remote, branch: values.branch, passphrase, env };
  if (action === 'restore') {
    const r = await restoreState(o);
    if (format === 'json') {
      json({ found: r.found, files: r.files });
      return EXIT.ok;
    }
    io.stdout(
      r.found
        ? `Restored ${r.files.length} file(s) from ${where} into ${shown}: ${r.files.join(', ')}\n` +
            (r.skipped.length ? `Left out ${r.skipped.join(', ')}: locks and the cache belong to the machine that saved them.\n` : '')
        : `No saved state on ${where} yet. \`advisories notify --require-ledger\` will refuse to send until a run with --fresh saves one.\n`,
    );
  } else {
    const r = await saveState(o);
    if (format === 'json') {
      json(r.saved ? { saved: true, commit: r.commit } : { saved: false, skipped: r.reason });
      return EXIT.ok;
    }
    io.stdout(r.saved ? `Saved ${shown} to ${where} (${r.commit.slice(0, 12)})\n` : r.reason === 'empty' ? `Nothing to save: ${shown} is empty; ${where} left as it was\n` : `State unchanged; ${where} left as it was\n`);
  }
  return EXIT.ok;
}
