import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './errors.ts';
import type { Io } from './io.ts';

export const COMMON = {
  root: { type: 'string' },
  state: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message}. Run \`advisories --help\` for usage.`);
  }
}

export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UserError(`--now "${value}" is not an ISO 8601 timestamp; write e.g. --now 2026-03-01T12:00:00Z`);
  }
  return date;
}

export interface Common {
  root: string;
  state: string;
  now: Date;
}

export function common(values: { root?: string; state?: string; now?: string }, io: Io): Common {
  const root = resolve(io.cwd, values.root ?? '.');
  return { root, state: values.state ? resolve(io.cwd, values.state) : resolve(root, '.advisories-state'), now: parseNow(values.now) };
}
