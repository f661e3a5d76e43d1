// Where each page lives. The service's own pages sit under `service.url`; the unsubscribe page sits where
// `mail.unsubscribeUrl` already points every mail sent, with the token in the query or as the last path segment.
import { AdvisoriesError } from '../core/errors.ts';

export type TokenPlace = { in: 'query'; name: string } | { in: 'path' };

export interface ServiceUrls {
  base: URL;
  /** Route paths (absolute, as Fastify matches them). */
  routes: { subscribe: string; confirm: string; preferences: string; unsubscribe: string; bounces: string; postmark: string; health: string };
  unsubscribeToken: TokenPlace;
  confirmLink(token: string): string;
  preferencesLink(token: string): string;
  unsubscribeLink(token: string): string;
  /** Whether a request path carries a token in the path (so the log can hide it). */
  tokenInPath(path: string): boolean;
}

export function serviceUrls(serviceUrl: string, unsubscribeUrl: string): ServiceUrls {
  const base = new URL(serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
  const template = new URL(unsubscribeUrl.replace('{token}', 'TOKEN-PLACEHOLDER'));
  let place: TokenPlace | undefined;
  for (const [name, value] of template.searchParams) if (value === 'TOKEN-PLACEHOLDER') place = { in: 'query', name };
  let unsubscribe = template.pathname;
  if (!place && template.pathname.endsWith('/TOKEN-PLACEHOLDER')) {
    place = { in: 'path' };
    unsubscribe = `${template.pathname.slice(0, -'TOKEN-PLACEHOLDER'.length)}:token`;
  }
  if (!place) {
    throw new AdvisoriesError('SETUP', 'mail.unsubscribeUrl must carry {token} as a query value (…/unsubscribe?token={token}) or as the last path segment (…/unsubscribe/{token}) for `advisories serve` to answer it');
  }
  const at = (path: string) => new URL(path, base).pathname;
  const routes = {
    subscribe: at('subscribe'),
    confirm: at('confirm'),
    preferences: at('preferences'),
    unsubscribe,
    bounces: at('webhooks/bounces'),
    postmark: at('webhooks/postmark'),
    health: at('healthz'),
  };
  const withToken = (path: string, token: string) => `${new URL(path, base).href}?token=${encodeURIComponent(token)}`;
  const prefix = place.in === 'path' ? unsubscribe.slice(0, -':token'.length) : undefined;
  return {
    base,
    routes,
    unsubscribeToken: place,
    confirmLink: (t) => withToken('confirm', t),
    preferencesLink: (t) => withToken('preferences', t),
    unsubscribeLink: (t) => unsubscribeUrl.replace('{token}', encodeURIComponent(t)),
    tokenInPath: (path) => prefix !== undefined && path.startsWith(prefix) && path.length > prefix.length,
  };
}
