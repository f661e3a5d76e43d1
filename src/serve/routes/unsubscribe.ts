// The address the mails already carry in List-Unsubscribe. POST with `List-Unsubscribe=One-Click`
// (RFC 8058, form-encoded or multipart) removes the address at once and answers 200, no redirect; the
// page's button does the same. The GET only shows the button and a link to the preferences. A 2xx is sent
// only once the store has the change durably.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AdvisoriesError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';
import { answer } from '../answer.ts';
import { tokenField } from '../input.ts';
import { maskEmail } from '../mask.ts';
import { parseMultipart } from '../multipart.ts';
import { buttonForm, paragraph } from '../pages.ts';
import { storeCall } from '../store-call.ts';
import { verifyAddressToken } from '../tokens.ts';

export function unsubscribeRoute(app: FastifyInstance, c: ServiceContext) {
  const place = c.urls.unsubscribeToken;
  const tokenOf = (req: FastifyRequest) => tokenField(place.in === 'query' ? (req.query as Record<string, unknown>)[place.name] : (req.params as Record<string, unknown>).token);
  const check = (req: FastifyRequest) => {
    const email = verifyAddressToken(c.secret, tokenOf(req));
    if (!email) throw new AdvisoriesError('TOKEN_INVALID', 'This unsubscribe link is not valid: open it exactly as it is in the mail. You can also reply to any announcement to be removed.');
    return email;
  };

  // Registered in a context of its own: only this URL reads multipart bodies.
  app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (req, body, done) => {
      try {
        done(null, parseMultipart(body as string, req.headers['content-type'] ?? ''));
      } catch (error) {
        done(error as Error, undefined);
      }
    });

    scope.get(c.urls.routes.unsubscribe, async (req, reply) => {
      const email = check(req);
      const token = tokenOf(req);
      const prefs = c.urls.preferencesLink(token).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      const html =
        paragraph(`Press the button to stop all security announcements to ${email}.`) +
        buttonForm('', { 'List-Unsubscribe': 'One-Click', page: '1' }, 'Unsubscribe') +
        `<p>Or <a href="${prefs}">choose which advisories you get</a> instead.</p>`;
      return answer(req, reply, c.page, { status: 200, code: 'unsubscribe', title: 'Unsubscribe', message: 'POST List-Unsubscribe=One-Click to this URL to unsubscribe.', html });
    });

    scope.post(c.urls.routes.unsubscribe, async (req, reply) => {
      const email = check(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body['List-Unsubscribe'] !== 'One-Click') {
        throw new AdvisoriesError('INPUT', 'To unsubscribe, POST the form field List-Unsubscribe=One-Click to this URL (RFC 8058).');
      }
      const fromPage = body.page === '1';
      const was = await storeCall(c.log, 'unsubscribe', () => c.store.unsubscribe(email, c.now(), fromPage ? 'page' : 'one-click'));
      c.log(`unsubscribe ${maskEmail(email)} ${was ? 'removed' : 'was not on the list'}${fromPage ? ' (page)' : ' (one-click)'}`);
      const message = was ? 'You are unsubscribed: no more security announcements will be sent to this address.' : 'This address is not on the list: nothing will be sent to it.';
      if (!fromPage) return reply.code(200).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${message}\n`);
      return answer(req, reply, c.page, { status: 200, code: was ? 'unsubscribed' : 'not-on-list', title: 'Unsubscribed', message });
    });
  });
}
