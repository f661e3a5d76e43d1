// POST subscribe: the same answer whatever the address's state (nobody learns who is on the list). A
// confirmation mail goes out unless the address is already active or had its daily number of them.
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context.ts';
import { answer, wantsJson } from '../answer.ts';
import { emailField, filterFields } from '../input.ts';
import { maskEmail, maskIp } from '../mask.ts';
import { storeCall } from '../store-call.ts';
import { confirmationToken } from '../tokens.ts';

const ACCEPTED = 'Thank you. If this address can subscribe, a mail with a confirmation link is on its way: nothing is sent to it until the link is used.';

export function subscribeRoute(app: FastifyInstance, c: ServiceContext) {
  app.post(c.urls.routes.subscribe, { config: { rateLimit: { max: c.service.subscribesPerHour, timeWindow: 3_600_000 } } }, async (req, reply) => {
    const email = emailField(req.body);
    const filters = filterFields(req.body);
    const form = wantsJson(req) ? 'api' : 'site';
    const at = c.now();
    // The store counts the mail toward the daily cap in the same change that records the request, so two
    // requests at once (in any number of processes) cannot both pass the cap.
    const r = await storeCall(c.log, 'subscribe', () => c.store.requestSubscription({ email, ...filters, form, ip: maskIp(req.ip), at, confirmationsPerDay: c.service.confirmationsPerDay }));
    if (r.mail) c.mailer.send({ to: email, confirmUrl: c.urls.confirmLink(confirmationToken(c.secret, email, at)), hours: c.service.confirmationHours });
    c.log(`subscribe ${maskEmail(email)} ${r.outcome}${r.mail ? ', confirmation mailed' : r.outcome === 'already-active' ? '' : ', daily cap reached'}`);
    return answer(req, reply, c.page, { status: 202, code: 'accepted', title: 'Check your inbox', message: ACCEPTED });
  });
}
