// The single error boundary: user errors exit with their code and a message; anything else is a bug.
import { EXIT, isAdvisoriesError } from '../core/errors.ts';
import { COMMON_HELP, wantsHelp } from './help.ts';
import { processIo, type Io } from './io.ts';
import { version } from './version.ts';

type Command = (args: string[], io: Io) => Promise<number>;
/** A command's module; its `help` (full text) or else its `usage` line is what `--help` prints. */
type HelpSource = () => Promise<{ help?: string; usage?: string }>;

// Commands load on demand: `check` should not pay for nodemailer, openpgp or SQLite at start-up.
// `help` points at the command's own module, so its help text lives with its options; `--help` never calls `run`.
export const COMMANDS: Record<string, { run: Command; summary: string; help?: HelpSource }> = {
  init: { run: async (a, io) => (await import('./commands/init.ts')).init(a, io), summary: 'set a project up: config, SECURITY.md check, .gitignore, CI workflows', help: () => import('./commands/init.ts') },
  check: { run: async (a, io) => (await import('./commands/check.ts')).check(a, io), summary: 'check every advisory against the schema and SECURITY.md', help: () => import('./commands/check.ts') },
  policy: { run: async (a, io) => (await import('./commands/policy.ts')).policy(a, io), summary: 'print the supported lines and release-time policy parsed from SECURITY.md', help: () => import('./commands/policy.ts') },
  new: { run: async (a, io) => (await import('./commands/new.ts')).newAdvisory(a, io), summary: 'scaffold the next advisory file', help: () => import('./commands/new.ts') },
  affected: { run: async (a, io) => (await import('./commands/affected.ts')).affected(a, io), summary: 'list the published advisories that affect a version (exit 1 if any)', help: () => import('./commands/affected.ts') },
  build: { run: async (a, io) => (await import('./commands/build.ts')).build(a, io), summary: 'check, then write the site: feeds, index.json, OSV records, HTML pages (--out DIR)', help: () => import('./commands/build.ts') },
  preview: { run: async (a, io) => (await import('./commands/preview.ts')).preview(a, io), summary: 'serve the built site on 127.0.0.1 to look at it in a browser', help: () => import('./commands/preview.ts') },
  notify: { run: async (a, io) => (await import('./commands/notify.ts')).notify(a, io), summary: 'mail new advisories and material updates to the subscribers, exactly once each', help: () => import('./commands/notify.ts') },
  subscribers: { run: async (a, io) => (await import('./commands/subscribers.ts')).subscribers(a, io), summary: 'subscriber counts by state; import FILE / export FILE move the CSV list into and out of the store' },
  state: { run: async (a, io) => (await import('./commands/state.ts')).state(a, io), summary: 'restore or save the mail ledger on an encrypted git branch (CI)', help: () => import('./commands/state.ts') },
  serve: { run: async (a, io) => (await import('./commands/serve.ts')).serve(a, io), summary: 'the mailing list service: subscribe, confirm, unsubscribe, preferences, bounces (--port N)' },
  'dkim-record': { run: async (a, io) => (await import('./commands/dkim-record.ts')).dkimRecordCommand(a, io), summary: 'print the DNS TXT record the DKIM key in the environment needs' },
  seal: { run: async (a, io) => (await import('./commands/seal.ts')).seal(a, io), summary: 'encrypt advisories for the recipients in the config (again, for the current list)' },
  unseal: { run: async (a, io) => (await import('./commands/unseal.ts')).unseal(a, io), summary: 'write sealed advisories back as clear text (--published: those whose time has come)' },
  edit: { run: async (a, io) => (await import('./commands/edit.ts')).edit(a, io), summary: 'open a sealed advisory in $EDITOR and seal it again' },
  keygen: { run: async (a, io) => (await import('./commands/keygen.ts')).keygen(a, io), summary: 'write a new age key pair for sealed advisories (--out FILE)' },
};

const HELP = () =>
  `Usage: advisories <command> [options]\n\nCommands:\n${Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
    .join('\n')}\n\n${COMMON_HELP}\n\`advisories help <command>\` or \`advisories <command> --help\` shows a command's options; \`advisories --version\` the version.\n`;

/** The help of one command: its module's text, else its summary; the command itself never runs. */
async function commandHelp(name: string): Promise<string> {
  const command = COMMANDS[name]!;
  const mod = command.help ? await command.help() : {};
  const body = mod.help ?? (mod.usage ? `Usage: ${mod.usage}\n` : `Usage: advisories ${name} [options]\n`);
  return `${body.trimEnd()}\n\n${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.\n\n${COMMON_HELP}`;
}

/** Secrets from the environment must never reach output, not even inside an error message. */
export function redact(text: string, env: NodeJS.ProcessEnv): string {
  let out = text;
  for (const name of ['SMTP_URL', 'DATABASE_URL', 'DKIM_PRIVATE_KEY', 'UNSUBSCRIBE_SECRET', 'PGP_PRIVATE_KEY', 'PGP_PASSPHRASE', 'STATE_PASSPHRASE', 'ADVISORIES_AGE_IDENTITY', 'BOUNCE_WEBHOOK_SECRET']) {
    const value = env[name];
    if (value && value.length >= 4) out = out.split(value).join(`[${name}]`);
  }
  // An age secret key however it got there (one line of a multi-line secret, a key file).
  out = out.replace(/AGE-SECRET-KEY-1[0-9A-Z]+/g, '[age secret key]');
  // Credentials inside any URL, e.g. smtp://user:pass@host.
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***:***@');
}

export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  if (name === 'help' && args.length > 0) {
    if (!COMMANDS[args[0]!]) {
      io.stderr(`Unknown command "${args[0]}".\n\n${HELP()}`);
      return EXIT.usage;
    }
    io.stdout(await commandHelp(args[0]!));
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${HELP()}`);
    return EXIT.usage;
  }
  if (wantsHelp(args)) {
    io.stdout(await commandHelp(name));
    return EXIT.ok;
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
