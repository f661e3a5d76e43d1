// The HTTP service: Fastify with strict body parsing (JSON and form-encoded only, a small body limit),
// per-IP rate limits, CORS for the site's origin alone, security headers, a same-origin check on every
// form POST (CSRF), masked log lines, and one error handler that never shows a stack.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { AdvisoriesError, isAdvisoriesError } from '../core/errors.ts';
import type { ServiceContext } from './context.ts';
import { answer } from './answer.ts';
import { HTTP_STATUS } from './errors.ts';
import { maskIp, maskPath } from './mask.ts';
import { PAGE_CSP } from './pages.ts';
import { confirmRoute } from './routes/confirm.ts';
import { preferencesRoute } from './routes/preferences.ts';
import { subscribeRoute } from './routes/subscribe.ts';
import { unsubscribeRoute } from './routes/unsubscribe.ts';
import { webhookRoutes } from './routes/webhook.ts';

/** Fastify's own errors, as a person should read them. */
const FASTIFY: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send the form as application/x-www-form-urlencoded or as application/json.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The JSON body is empty.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'The Content-Length does not match the body.'],
};

export async function buildApp(c: ServiceContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: c.service.bodyLimit,
    trustProxy: c.service.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: 15_000,
    connectionTimeout: 30_000,
  });
  // Only JSON and form bodies (and multipart on the unsubscribe URL): text/plain, the other "simple"
  // content type a cross-site form can send, is refused.
  app.removeContentTypeParser('text/plain');
  await app.register(formbody, { bodyLimit: c.service.bodyLimit });
  // Helmet's security headers, its middleware made once (@fastify/helmet makes it again for every request).
  const secure = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP },
    strictTransportSecurity: c.urls.base.protocol === 'https:' ? { maxAge: 31_536_000 } : false,
    // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the page's own form POSTs.
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (req, reply, done) => secure(req.raw, reply.raw, (error) => done(error as Error | undefined)));
  await app.register(cors, { origin: c.origins.site, methods: ['POST'], allowedHeaders: ['Content-Type'], maxAge: 600 });
  await app.register(rateLimit, {
    max: c.service.requestsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, code: 'RATE_LIMITED', message: `Too many requests from this address; try again in ${Math.ceil(ctx.ttl / 1000)} seconds.` }),
  });

  // CSRF: a browser says where a POST comes from; only the site's pages and the service's own may post
  // forms. The one-click POST is exempt: mailbox providers send it from their servers, and it can only remove.
  app.addHook('preHandler', async (req: FastifyRequest) => {
    if (req.method !== 'POST' || req.routeOptions.url === c.urls.routes.unsubscribe || req.routeOptions.url === c.urls.routes.bounces || req.routeOptions.url === c.urls.routes.postmark) return;
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    const allowed = origin === undefined ? fetchSite === undefined || fetchSite !== 'cross-site' : origin === c.origins.site || origin === c.origins.service;
    if (!allowed) throw new AdvisoriesError('FORBIDDEN', 'This form may only be sent from the advisories site.');
  });

  app.addHook('onResponse', async (req, reply) => {
    c.log(`${req.method} ${maskPath(req.url, c.urls.tokenInPath)} ${reply.statusCode} ${maskIp(req.ip)} ${reply.elapsedTime.toFixed(0)}ms`);
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    let status = 500;
    let code = 'internal';
    let message = 'Something went wrong on our side; nothing was changed. Please try again later.';
    if (isAdvisoriesError(error) && HTTP_STATUS[error.code]) {
      status = HTTP_STATUS[error.code]!;
      code = error.code.toLowerCase();
      message = error.message;
    } else if (error.code && FASTIFY[error.code]) {
      [status, message] = FASTIFY[error.code]!;
      code = error.code;
    } else if (error.statusCode === 429) {
      status = 429;
      code = 'rate-limited';
      message = error.message;
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      code = 'bad-request';
      message = 'The request could not be read: send the form as application/x-www-form-urlencoded or as application/json.';
    } else {
      c.log(`error ${req.method} ${maskPath(req.url, c.urls.tokenInPath)}: ${error.code ?? error.name}`);
    }
    return answer(req, reply, c.page, { status, code, title: status >= 500 ? 'Please try again later' : 'This did not work', message });
  });
  app.setNotFoundHandler((req, reply) => answer(req, reply, c.page, { status: 404, code: 'not-found', title: 'Not found', message: 'There is nothing at this address.' }));

  app.get(c.urls.routes.health, { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  subscribeRoute(app, c);
  confirmRoute(app, c);
  unsubscribeRoute(app, c);
  preferencesRoute(app, c);
  webhookRoutes(app, c);
  return app;
}
