// The one error type: a code says what kind of problem it is (callers test the code, never the
// message), and the code decides the exit status. Anything thrown that is not one of these is a bug.

/** Exit statuses: 1 the input has problems, 2 the command or its setup is wrong, 70 a bug. */
export const EXIT = { ok: 0, problems: 1, usage: 2, bug: 70 } as const;

const CODES = {
  /** The command line is wrong. */
  USAGE: EXIT.usage,
  /** The configuration or environment is wrong (config file, secrets, keys, subscriber list). */
  SETUP: EXIT.usage,
  /** Another run holds the lock. */
  LOCKED: EXIT.usage,
  /** The state branch cannot be read or written. */
  STATE: EXIT.usage,
  /** The list store (SQLite or PostgreSQL) cannot be reached, read or written. */
  STORE: EXIT.usage,
  /** git cannot answer what was asked (no repository, unknown base ref). */
  GIT: EXIT.usage,
  /** The site could not be written (space, permissions, a folder not ours); the previous one is unchanged. */
  SITE_WRITE: EXIT.usage,
  /** A request to the list service has a bad field (address, filter, body). */
  INPUT: EXIT.problems,
  /** A forged, truncated or malformed token. */
  TOKEN_INVALID: EXIT.problems,
  /** A genuine token past its time. */
  TOKEN_EXPIRED: EXIT.problems,
  /** A request from a place it may not come from (another site's form, no webhook credentials). */
  FORBIDDEN: EXIT.problems,
} as const;

export type ErrorCode = keyof typeof CODES;

/** A problem the user can fix: reported as its message and an exit status, never a stack trace. */
export class AdvisoriesError extends Error {
  readonly exitCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdvisoriesError';
    this.exitCode = CODES[code];
  }
}

export const isAdvisoriesError = (error: unknown, code?: ErrorCode): error is AdvisoriesError =>
  error instanceof AdvisoriesError && (code === undefined || error.code === code);
