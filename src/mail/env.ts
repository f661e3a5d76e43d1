// Secrets come only from the environment. Validated with zod; error messages name the variable and
// what is wrong with it, never its value (zod's own messages can echo input, so they are not used).
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

const EnvSchema = z.object({
  SMTP_URL: nonEmpty
    .refine((v) => URL.canParse(v) && ['smtp:', 'smtps:'].includes(new URL(v).protocol), 'must be an smtp:// or smtps:// URL')
    .optional(),
  SUBSCRIBERS: nonEmpty.optional(),
  /** Extra CA certificates (PEM file) to trust for the SMTP server: a private CA, or a test server's own. */
  SMTP_CA_FILE: nonEmpty.optional(),
  DKIM_PRIVATE_KEY: nonEmpty.refine((v) => v.includes('PRIVATE KEY-----'), 'must be a PEM private key').optional(),
  DKIM_SELECTOR: nonEmpty.regex(/^[A-Za-z0-9._-]+$/, 'must be a DNS label such as "mail2026"').optional(),
  DKIM_DOMAIN: nonEmpty.regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'must be a domain name such as "example.com"').optional(),
  UNSUBSCRIBE_SECRET: z.string().min(16, 'must be at least 16 characters (use a long random string)').optional(),
  PGP_PRIVATE_KEY: nonEmpty.refine((v) => v.includes('BEGIN PGP PRIVATE KEY BLOCK'), 'must be an armored PGP private key').optional(),
  PGP_PASSPHRASE: z.string().optional(),
});

export type MailEnv = z.output<typeof EnvSchema>;
export const SECRET_NAMES = Object.keys(EnvSchema.shape) as (keyof MailEnv)[];

export interface EnvResult {
  env?: MailEnv;
  /** One line per problem, e.g. "DKIM_SELECTOR must be set when DKIM_PRIVATE_KEY is". */
  problems: string[];
}

/** Empty strings count as unset: CI passes missing secrets as "". */
export function readMailEnv(source: NodeJS.ProcessEnv): EnvResult {
  const raw = Object.fromEntries(SECRET_NAMES.map((n) => [n, source[n] === '' ? undefined : source[n]]));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    // Only the issue's path and our own messages: a custom message never contains the value.
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])} ${i.code === 'custom' || i.code === 'invalid_format' || i.code === 'too_small' ? i.message : 'is invalid'}`);
    return { problems: [...new Set(problems)] };
  }
  const env = parsed.data;
  const problems: string[] = [];
  const dkim = ['DKIM_PRIVATE_KEY', 'DKIM_SELECTOR', 'DKIM_DOMAIN'] as const;
  const dkimSet = dkim.filter((n) => env[n] !== undefined);
  if (dkimSet.length > 0 && dkimSet.length < dkim.length) {
    for (const n of dkim.filter((n) => env[n] === undefined)) problems.push(`${n} must be set too: DKIM needs DKIM_PRIVATE_KEY, DKIM_SELECTOR and DKIM_DOMAIN together`);
  }
  if (env.PGP_PASSPHRASE !== undefined && env.PGP_PRIVATE_KEY === undefined) problems.push('PGP_PRIVATE_KEY must be set when PGP_PASSPHRASE is');
  if (env.SMTP_URL && !env.UNSUBSCRIBE_SECRET) problems.push('UNSUBSCRIBE_SECRET must be set to send through SMTP: it signs the personal unsubscribe links');
  return problems.length ? { problems } : { env, problems };
}
