// Confirm: the GET only shows a button (mail scanners fetch every link); the POST activates. The token
// expires; one from an earlier request than the address's latest, or for an address that has left since,
// activates nothing.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AdvisoriesError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';
import { answer } from '../answer.ts';
import { tokenField } from '../input.ts';
import { maskEmail } from '../mask.ts';
import { buttonForm, paragraph } from '../pages.ts';
import { storeCall } from '../store-call.ts';
import { addressToken, verifyConfirmationToken } from '../tokens.ts';

const query = (req: FastifyRequest) => (req.query as Record<string, unknown>).token;

export function confirmRoute(app: FastifyInstance, c: ServiceContext) {
  const check = (token: unknown) => {
    const r = verifyConfirmationToken(c.secret, tokenField(token), c.now(), c.service.confirmationHours);
    if (r.ok) return r;
    if (r.reason === 'expired') throw new AdvisoriesError('TOKEN_EXPIRED', `This confirmation link has expired (links work for ${c.service.confirmationHours} hours). Subscribe again to get a new one.`);
    throw new AdvisoriesError('TOKEN_INVALID', 'This confirmation link is not valid: open it exactly as it is in the mail, or subscribe again.');
  };

  app.get(c.urls.routes.confirm, async (req, reply) => {
    const token = query(req);
    check(token);
    const html = paragraph('Press the button to start receiving security announcements at this address.') + buttonForm('', { token: token as string }, 'Confirm my subscription');
    return answer(req, reply, c.page, { status: 200, code: 'confirm', title: 'Confirm your subscription', message: 'POST this token to confirm.', html });
  });

  app.post(c.urls.routes.confirm, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = check(body.token ?? query(req));
    const at = c.now();
    const outcome = await storeCall(c.log, 'confirm', () => c.store.confirm(r.email, at, r.issued));
    c.log(`confirm ${maskEmail(r.email)} ${outcome}`);
    if (outcome === 'unknown') {
      throw new AdvisoriesError('TOKEN_EXPIRED', 'This confirmation link is no longer valid: the address asked again since, or left the list. Use the newest mail, or subscribe again.');
    }
    const prefs = c.urls.preferencesLink(addressToken(c.secret, r.email));
    const message = outcome === 'confirmed' ? 'You are subscribed. Every new security advisory will be mailed to you.' : 'This address was already confirmed; nothing changed.';
    const html = `${paragraph(message)}<p><a href="${prefs.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">Choose which advisories you get</a></p>`;
    return answer(req, reply, c.page, { status: 200, code: outcome, title: outcome === 'confirmed' ? 'Subscription confirmed' : 'Already confirmed', message, html });
  });
}
