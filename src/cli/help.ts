// What every command's help ends with, and how `--help` is recognised before a command runs.

export const COMMON_HELP = `Options every command takes:
  --root DIR        the project (default: the nearest folder up from here holding advisories.config.json,
                    advisories/ or .git)
  --state DIR       the mail ledger and the build cache (default ROOT/.advisories-state)
  --now TIMESTAMP   stands in for the clock wherever embargoes are decided
  --verbose         also say what came from the build cache
  --no-accel        run without the build cache and workers (as ADVISORIES_ACCEL=0 does)
  -h, --help        print the help and do nothing else
`;

/** `--help` or `-h` anywhere before a `--`: the command prints its help instead of running. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
