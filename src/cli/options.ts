import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AdvisoriesError } from '../core/errors.ts';
import { openAccel, type Accel } from '../accel/index.ts';
import { readFileSync } from 'node:fs';
import type { SealKeys } from '../check/open-sealed.ts';
import { parseIdentities } from '../check/sealed.ts';
import type { Io } from './io.ts';

export const COMMON = {
  root: { type: 'string' },
  state: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  'no-accel': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new AdvisoriesError('USAGE', `${(error as Error).message}. Run \`advisories help\` or \`advisories <command> --help\` for usage.`);
  }
}

export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new AdvisoriesError('USAGE', `--now "${value}" is not an ISO 8601 timestamp; write e.g. --now 2026-03-01T12:00:00Z`);
  }
  return date;
}

export interface Common {
  root: string;
  state: string;
  now: Date;
  verbose: boolean;
  /** Acceleration (accel/): on unless ADVISORIES_ACCEL=0 or --no-accel. */
  accel: boolean;
}

/** What marks a project's top folder, looked for from the working folder upward. */
const ROOT_MARKERS = ['advisories.config.json', 'advisories', '.git'];

/** The nearest folder at or above `from` holding a marker, as git finds its repository; else `from` itself. */
export function findRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export const FORMAT_OPTION = { format: { type: 'string', default: 'text' } } as const;

/** `--format` checked against what the command can print. */
export function formatOf<F extends string>(value: string | undefined, allowed: readonly F[]): F {
  const format = (value ?? 'text') as F;
  if (!allowed.includes(format)) throw new AdvisoriesError('USAGE', `--format must be one of ${allowed.join(', ')}, not "${value}"`);
  return format;
}

export function common(values: { root?: string; state?: string; now?: string; verbose?: boolean; 'no-accel'?: boolean }, io: Io): Common {
  const root = values.root === undefined ? findRoot(io.cwd) : resolve(io.cwd, values.root);
  return {
    root,
    state: values.state ? resolve(io.cwd, values.state) : resolve(root, '.advisories-state'),
    now: parseNow(values.now),
    verbose: Boolean(values.verbose),
    accel: !values['no-accel'] && io.env.ADVISORIES_ACCEL !== '0',
  };
}

/** The checker and renderer a command runs with: accel/'s, or the reference when it is off. */
export async function acceleration(c: Pick<Common, 'state' | 'accel' | 'root'>, { readOnly = false } = {}): Promise<Accel | undefined> {
  return c.accel ? openAccel(c.state, { root: c.root, readOnly }) : undefined;
}

/**
 * The keys that open sealed advisories: ADVISORIES_AGE_IDENTITY (the secret itself, as CI gets it) and
 * ADVISORIES_AGE_IDENTITY_FILE (a key file, as age-keygen writes it). Never printed.
 */
export function sealKeys(io: Pick<Io, 'env' | 'cwd'>): SealKeys {
  const { ADVISORIES_AGE_IDENTITY: inline, ADVISORIES_AGE_IDENTITY_FILE: file } = io.env;
  const identities = inline ? parseIdentities(inline) : [];
  if (file) {
    try {
      identities.push(...parseIdentities(readFileSync(resolve(io.cwd, file), 'utf8')));
    } catch (error) {
      throw new AdvisoriesError('SETUP', `ADVISORIES_AGE_IDENTITY_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (identities.some((i) => !/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(i))) {
    throw new AdvisoriesError('SETUP', 'ADVISORIES_AGE_IDENTITY(_FILE) holds a line that is not an age secret key (AGE-SECRET-KEY-1…); comments start with #');
  }
  return identities.length ? { identities } : {};
}
