// The single error boundary: user errors exit with their code and a message; anything else is a bug.
import { EXIT, isAdvisoriesError } from '../core/errors.ts';
import { processIo, type Io } from './io.ts';

type Command = (args: string[], io: Io) => Promise<number>;

// Commands load on demand: `check` should not pay for nodemailer, openpgp or SQLite at start-up.
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  check: { run: async (a, io) => (await import('./commands/check.ts')).check(a, io), summary: 'check every advisory against the schema and SECURITY.md' },
  policy: { run: async (a, io) => (await import('./commands/policy.ts')).policy(a, io), summary: 'print the supported lines and release-time policy parsed from SECURITY.md' },
  new: { run: async (a, io) => (await import('./commands/new.ts')).newAdvisory(a, io), summary: 'scaffold the next advisory file' },
  affected: { run: async (a, io) => (await import('./commands/affected.ts')).affected(a, io), summary: 'list the published advisories that affect a version (exit 1 if any)' },
  build: { run: async (a, io) => (await import('./commands/build.ts')).build(a, io), summary: 'check, then write the site: feeds, index.json, OSV records, HTML pages (--out DIR)' },
  notify: { run: async (a, io) => (await import('./commands/notify.ts')).notify(a, io), summary: 'mail new advisories and material updates to the subscribers, exactly once each' },
  subscribers: { run: async (a, io) => (await import('./commands/subscribers.ts')).subscribers(a, io), summary: 'subscriber counts by state; import FILE / export FILE move the CSV list into and out of the store' },
  state: { run: async (a, io) => (await import('./commands/state.ts')).state(a, io), summary: 'restore or save the mail ledger on an encrypted git branch (CI)' },
  'dkim-record': { run: async (a, io) => (await import('./commands/dkim-record.ts')).dkimRecordCommand(a, io), summary: 'print the DNS TXT record the DKIM key in the environment needs' },
};

const HELP = () =>
  `Usage: advisories <command> [options]\n\nCommands:\n${Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
    .join('\n')}\n\nCommon options: --root DIR (default .), --state DIR (default ROOT/.advisories-state), --now TIMESTAMP\n`;

/** Secrets from the environment must never reach output, not even inside an error message. */
export function redact(text: string, env: NodeJS.ProcessEnv): string {
  let out = text;
  for (const name of ['SMTP_URL', 'DATABASE_URL', 'DKIM_PRIVATE_KEY', 'UNSUBSCRIBE_SECRET', 'PGP_PRIVATE_KEY', 'PGP_PASSPHRASE', 'STATE_PASSPHRASE']) {
    const value = env[name];
    if (value && value.length >= 4) out = out.split(value).join(`[${name}]`);
  }
  // Credentials inside any URL, e.g. smtp://user:pass@host.
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***:***@');
}

export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${HELP()}`);
    return EXIT.usage;
  }
  const safe: Io = { ...io, stdout: (t) => io.stdout(redact(t, io.env)), stderr: (t) => io.stderr(redact(t, io.env)) };
  try {
    return await command.run(args, safe);
  } catch (error) {
    if (isAdvisoriesError(error)) {
      safe.stderr(`advisories ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    safe.stderr(
      `advisories ${name}: internal error — this is a bug in the tool, not in your files.\n` +
        `Please report it with the text below.\n\n${detail}\n`,
    );
    return EXIT.bug;
  }
}
