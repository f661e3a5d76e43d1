// How the service answers an AdvisoriesError: each code has its HTTP status. Anything else thrown inside a
// handler is answered 500 without detail (and logged without the stack).
import type { ErrorCode } from '../core/errors.ts';

export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  INPUT: 400,
  TOKEN_INVALID: 400,
  TOKEN_EXPIRED: 410,
  FORBIDDEN: 403,
  STORE: 503,
};

export const STORE_DOWN = 'The subscriber list cannot be reached right now; nothing was changed. Please try again in a few minutes.';
