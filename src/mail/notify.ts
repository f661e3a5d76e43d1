// `advisories notify`, past the command line: lock, ledger, transport, one census pass, one send pass.
import { AdvisoriesError } from '../core/errors.ts';
import type { Config, MailConfig } from '../core/config.ts';
import type { MailEnv } from './env.ts';
import { renderMail } from '../render/mail.ts';
import { compileMail, type CompiledMail } from '../render/mail-mime.ts';
import type { Material } from '../render/mail-revision.ts';
import type { Templates } from '../render/templates.ts';
import type { Advisory } from '../core/advisory.ts';
import { Ledger, ledgerPath, openLedger } from './ledger.ts';
import { acquireLock } from './lock.ts';
import { outboxTransport } from './outbox.ts';
import { pgpSigner } from './pgp.ts';
import { mailings, type Due } from './plan.ts';
import { census, sendAll } from './run.ts';
import { smtpTransport } from './smtp.ts';
import type { DkimSettings, Transport } from './transport.ts';

export interface NotifyInput {
  root: string;
  state: string;
  now: Date;
  advisories: readonly Advisory[];
  config: Config;
  mail: MailConfig;
  templates: Templates;
  env: MailEnv;
  subscribers: string;
  dryRun: boolean;
  resendUnknown: boolean;
  requireLedger: boolean;
  fresh: boolean;
  out: (text: string) => void;
  progress?: (text: string) => void;
}


/** Returns the exit code: 0 all done, 1 something failed, is unknown or still pending, 2 cannot send at all. */
export async function notify(input: NotifyInput): Promise<number> {
  const { env, out } = input;
  const kind = env.SMTP_URL ? 'smtp' : 'outbox';
  const path = ledgerPath(input.state, kind);
  const exists = Ledger.exists(path);
  if (!exists && input.requireLedger && !input.fresh) {
    throw new AdvisoriesError('SETUP', 
      `no mail ledger at ${path}: refusing to send, because without it every subscriber would get every advisory again. ` +
        'Restore the ledger (see docs/mail.md, "The ledger"), or pass --fresh if this list has really never been mailed.',
    );
  }
  const list = mailings(input.advisories);
  const lock = input.dryRun ? null : acquireLock(input.state);
  if (lock?.staleFrom) out(`Note: took over a stale lock left by process ${lock.staleFrom}, which is no longer running.\n`);
  let ledger: Ledger;
  try {
    ledger = openLedger(exists || !input.dryRun ? path : null);
  } catch (error) {
    lock?.release();
    throw error;
  }
  let transport: Transport | undefined;
  try {
    if (!exists && !input.dryRun) out(`Started a new ledger at ${path}.\n`);
    const plan = await census(input.subscribers, list, ledger, input.resendUnknown);
    const cache = new Map<string, Promise<CompiledMail>>();
    const sign = env.PGP_PRIVATE_KEY ? await pgpSigner(env.PGP_PRIVATE_KEY, env.PGP_PASSPHRASE) : null;
    const render = (due: Due) => {
      const key = `${due.mailing.revision}:${due.kind}:${due.previous ?? ''}`;
      let hit = cache.get(key);
      if (!hit) {
        const previous = due.previous ? ledger.material<Material>(due.previous) : undefined;
        const r = renderMail({ advisory: due.mailing.advisory, config: input.config, mail: input.mail, templates: input.templates, kind: due.kind, previous });
        // Signed and MIME-encoded once here; each subscriber only gets headers and a token spliced in.
        hit = (sign ? sign(r.text).then((text) => ({ ...r, text })) : Promise.resolve(r)).then(compileMail);
        cache.set(key, hit);
      }
      return hit;
    };

    if (input.dryRun) {
      out(`Dry run: nothing is sent or recorded. Would send ${plan.total} message${plan.total === 1 ? '' : 's'} via ${kind === 'smtp' ? 'SMTP' : 'outbox/'}:\n`);
      for (const g of plan.groups.values()) {
        const r = await render({ mailing: g.mailing, kind: g.kind });
        out(`  ${g.mailing.advisory.id}  ${String(g.recipients).padStart(6)} recipient${g.recipients === 1 ? ' ' : 's'}  ${r.subject}\n`);
      }
      out(plan.stats.table());
      return 0;
    }

    for (const m of list) ledger.rememberRevision(m.revision, m.advisory.id, m.material, input.now);
    const dkim: DkimSettings | undefined = env.DKIM_PRIVATE_KEY ? { domainName: env.DKIM_DOMAIN!, keySelector: env.DKIM_SELECTOR!, privateKey: env.DKIM_PRIVATE_KEY } : undefined;
    transport = env.SMTP_URL ? smtpTransport(env.SMTP_URL, input.mail, dkim) : outboxTransport(`${input.root}/outbox`, dkim);
    out(`Sending ${plan.total} message${plan.total === 1 ? '' : 's'} via ${transport.describe}.\n`);
    let fatal: string | undefined;
    if (plan.total > 0) {
      const verified = await transport.verify();
      fatal = verified?.reply;
      if (!fatal) {
        const secret = env.UNSUBSCRIBE_SECRET ?? 'outbox-preview-only';
        const result = await sendAll({ path: input.subscribers, list, ledger, transport, render, mail: input.mail, secret, now: input.now, resendUnknown: input.resendUnknown, retry: { attempts: input.mail.retryAttempts, delayMs: input.mail.retryDelay }, total: plan.total, stats: plan.stats, progress: input.progress });
        fatal = result.fatal;
      }
    }
    out(plan.stats.table());
    if (fatal) {
      out(`Stopped: ${fatal}. Messages not sent stay pending for the next run; nothing was marked failed.\n`);
      return 2;
    }
    const unknownEarlier = [...plan.stats.rows.values()].some((r) => r.unknown > 0);
    if (unknownEarlier) out('Unknown: the server may or may not have them. They are not resent; after checking, rerun with --resend-unknown to send them again.\n');
    return plan.stats.newTrouble > 0 ? 1 : 0;
  } finally {
    transport?.close();
    ledger.close();
    lock?.release();
  }
}
