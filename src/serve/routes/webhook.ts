// The bounce/complaint webhook, authenticated with BOUNCE_WEBHOOK_SECRET (as a bearer token, or as the
// password of HTTP Basic auth, which is how Postmark sends credentials). Exempt from the per-IP limit.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AdvisoriesError } from '../../core/errors.ts';
import { Email } from '../../list/index.ts';
import type { ServiceContext } from '../context.ts';
import { maskEmail } from '../mask.ts';
import { storeCall } from '../store-call.ts';
import { fromPostmark, NoticeBody, noticesOf, PostmarkBody, type Notice } from '../webhook.ts';

/** Digests of equal length: the comparison takes the same time whatever the length of the guess. */
const digest = (s: string) => createHash('sha256').update(s).digest();

function authorised(req: FastifyRequest, secret: string): boolean {
  const header = req.headers.authorization ?? '';
  let given = '';
  if (/^Bearer /i.test(header)) given = header.slice(7).trim();
  else if (/^Basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  return timingSafeEqual(digest(given), digest(secret)) && given.length > 0;
}

export function webhookRoutes(app: FastifyInstance, c: ServiceContext) {
  const guard = (req: FastifyRequest) => {
    if (!c.webhookSecret) throw new AdvisoriesError('FORBIDDEN', 'The bounce webhook is off: set BOUNCE_WEBHOOK_SECRET to turn it on.');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new AdvisoriesError('INPUT', 'The webhook takes application/json only.');
    if (!authorised(req, c.webhookSecret)) throw new AdvisoriesError('FORBIDDEN', 'Wrong or missing webhook credentials (Authorization: Bearer <BOUNCE_WEBHOOK_SECRET>).');
  };
  const apply = async (notices: Notice[]) => {
    const at = c.now();
    const results: { email: string; state: string }[] = [];
    for (const n of notices) {
      const email = Email.safeParse(n.email);
      if (!email.success) {
        results.push({ email: maskEmail(n.email), state: 'invalid-address' });
        continue;
      }
      const state = await storeCall(c.log, 'webhook', () => c.store.noteBounce(email.data, n.type === 'bounce' ? 'permanent' : 'complaint', at, (n.detail ?? n.type).replace(/[\u0000-\u001f\u007f]+/g, ' ')));
      c.log(`webhook ${n.type} ${maskEmail(email.data)} → ${state ?? 'not on the list'}`);
      results.push({ email: maskEmail(email.data), state: state ?? 'unknown' });
    }
    return { status: 'ok', results };
  };
  const schemaError = () => new AdvisoriesError('INPUT', 'The body does not fit the documented shape (docs/mail.md, "Bounce webhook").');

  app.post(c.urls.routes.bounces, { config: { rateLimit: false } }, async (req) => {
    guard(req);
    const body = NoticeBody.safeParse(req.body);
    if (!body.success) throw schemaError();
    return apply(noticesOf(body.data));
  });

  app.post(c.urls.routes.postmark, { config: { rateLimit: false } }, async (req) => {
    guard(req);
    const body = PostmarkBody.safeParse(req.body);
    if (!body.success) throw schemaError();
    const notice = fromPostmark(body.data);
    return notice ? apply([notice]) : { status: 'ignored', results: [] };
  });
}
