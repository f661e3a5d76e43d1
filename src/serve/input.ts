// The fields people send: checked here, with messages a person can act on, before anything is stored.
import semver from 'semver';
import { Severity } from '../core/schema.ts';
import { Email } from '../list/index.ts';
import { AdvisoriesError } from '../core/errors.ts';

const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

/** One form or JSON field as a string: absent is "", a repeated field or a non-string is refused. */
export function field(body: unknown, name: string, max: number): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new AdvisoriesError('INPUT', `The field "${name}" must be given once, as text.`);
  if (value.length > max) throw new AdvisoriesError('INPUT', `The field "${name}" is too long (at most ${max} characters).`);
  if (CONTROL.test(value)) throw new AdvisoriesError('INPUT', `The field "${name}" contains a line break or control character; remove it and try again.`);
  return value.trim();
}

export function emailField(body: unknown): string {
  const raw = field(body, 'email', 254);
  if (!raw) throw new AdvisoriesError('INPUT', 'Give the e-mail address to subscribe.');
  const parsed = Email.safeParse(raw);
  if (!parsed.success) throw new AdvisoriesError('INPUT', 'That is not a valid e-mail address: give one address, like name@example.com.');
  return parsed.data;
}

export interface Filters {
  minSeverity: Severity | null;
  versions: string | null;
}

/** The same filters notify applies: a minimum severity and a semver range, both optional. */
export function filterFields(body: unknown): Filters {
  const severity = field(body, 'minSeverity', 20).toLowerCase();
  const versions = field(body, 'versions', 200);
  const s = Severity.safeParse(severity);
  if (severity && severity !== 'all' && !s.success) throw new AdvisoriesError('INPUT', 'The minimum severity must be one of critical, high, medium or low (or empty for all).');
  if (versions && semver.validRange(versions) === null) {
    throw new AdvisoriesError('INPUT', `"${versions}" is not a version range: use npm's syntax, e.g. ">=1.2.0 <2.0.0" or "1.x".`);
  }
  return { minSeverity: s.success ? s.data : null, versions: versions || null };
}

export function tokenField(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new AdvisoriesError('TOKEN_INVALID', 'This link has no token: open the link from the mail exactly as it was sent.');
  if (value.length > 600) throw new AdvisoriesError('TOKEN_INVALID', 'This link is not valid: open the link from the mail exactly as it was sent.');
  return value;
}
