/** A mistake the user can fix: reported as a message and an exit code, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const EXIT = { ok: 0, problems: 1, usage: 2, bug: 70 } as const;
