import { readMailEnv } from '../../mail/env.ts';
import { dkimRecord, proveDkimKey } from '../../mail/keys.ts';
import { AdvisoriesError, EXIT } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { parse } from '../options.ts';

export const usage = 'advisories dkim-record   (reads DKIM_PRIVATE_KEY, DKIM_SELECTOR and DKIM_DOMAIN from the environment)';

/** The public DKIM record the key in the environment needs, proven to sign first: what the operator publishes. */
export async function dkimRecordCommand(args: string[], io: Io): Promise<number> {
  parse(args, {});
  const { env, problems } = readMailEnv(io.env);
  if (!env) throw new AdvisoriesError('USAGE', `the environment is not set up for mail:\n  ${problems.join('\n  ')}\nSee docs/mail.md, "DKIM".`);
  if (!env.DKIM_PRIVATE_KEY || !env.DKIM_SELECTOR || !env.DKIM_DOMAIN) {
    throw new AdvisoriesError('USAGE', 'set DKIM_PRIVATE_KEY, DKIM_SELECTOR and DKIM_DOMAIN: the record is derived from the private key (see docs/mail.md, "DKIM")');
  }
  const record = dkimRecord(proveDkimKey(env.DKIM_PRIVATE_KEY), env.DKIM_SELECTOR, env.DKIM_DOMAIN);
  io.stdout(
    `Publish this TXT record at ${record.name} (zone-file form, split into strings of at most 255 characters):\n\n` +
      `${record.zone}\n\nThe value as one string, for a DNS provider's web form:\n\n${record.value}\n`,
  );
  return EXIT.ok;
}
