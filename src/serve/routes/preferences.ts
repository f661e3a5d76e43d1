// Preferences, from the token every mail carries: change the severity and version filters, or leave.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AdvisoriesError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';
import { answer } from '../answer.ts';
import { field, filterFields as readFilters, tokenField } from '../input.ts';
import { maskEmail } from '../mask.ts';
import { schemeFor } from '../../core/ecosystems/index.ts';
import { buttonForm, filterFields, paragraph } from '../pages.ts';
import { storeCall } from '../store-call.ts';
import { verifyAddressToken } from '../tokens.ts';
import { escapeHtml } from '../../render/escape.ts';

const ON_LIST = new Set(['active', 'pending']);

export function preferencesRoute(app: FastifyInstance, c: ServiceContext) {
  const check = (token: unknown) => {
    const t = tokenField(token);
    const email = verifyAddressToken(c.secret, t);
    if (!email) throw new AdvisoriesError('TOKEN_INVALID', 'This preferences link is not valid: open it exactly as it is in the mail.');
    return { email, token: t };
  };
  const notOnList = (req: FastifyRequest, reply: Parameters<typeof answer>[1]) =>
    answer(req, reply, c.page, { status: 404, code: 'not-on-list', title: 'Not on the list', message: 'This address is not on the list. Subscribe again from the advisories site to receive announcements.' });

  app.get(c.urls.routes.preferences, async (req, reply) => {
    const { email, token } = check((req.query as Record<string, unknown>).token);
    const sub = await storeCall(c.log, 'preferences', () => c.store.get(email));
    if (!sub || !ON_LIST.has(sub.state)) return notOnList(req, reply);
    const html =
      paragraph(`Announcements for ${email}.`) +
      `<form method="post" action=""><input type="hidden" name="token" value="${escapeHtml(token)}"><input type="hidden" name="action" value="save">` +
      `${filterFields(sub.minSeverity, sub.versions, schemeFor(c.config.ecosystem))}<button type="submit">Save</button></form>` +
      `<h2>Leave the list</h2>` +
      buttonForm('', { token, action: 'leave' }, 'Unsubscribe', true);
    return answer(req, reply, c.page, { status: 200, code: 'preferences', title: 'Your subscription', message: 'POST token, action=save with minSeverity and versions, or action=leave.', html });
  });

  app.post(c.urls.routes.preferences, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { email } = check(body.token ?? (req.query as Record<string, unknown>).token);
    const action = field(body, 'action', 10) || 'save';
    const at = c.now();
    if (action === 'leave') {
      const was = await storeCall(c.log, 'preferences', () => c.store.unsubscribe(email, at, 'preferences'));
      c.log(`unsubscribe ${maskEmail(email)} ${was ? 'removed' : 'was not on the list'} (preferences)`);
      return answer(req, reply, c.page, { status: 200, code: was ? 'unsubscribed' : 'not-on-list', title: 'Unsubscribed', message: 'You are unsubscribed: no more security announcements will be sent to this address.' });
    }
    if (action !== 'save') throw new AdvisoriesError('INPUT', 'The field "action" must be "save" or "leave".');
    const filters = readFilters(body);
    const changed = await storeCall(c.log, 'preferences', () => c.store.setPreferences(email, filters, at));
    if (!changed) return notOnList(req, reply);
    c.log(`preferences ${maskEmail(email)} saved`);
    return answer(req, reply, c.page, { status: 200, code: 'saved', title: 'Preferences saved', message: 'Your preferences are saved: they apply from the next announcement on.' });
  });
}
