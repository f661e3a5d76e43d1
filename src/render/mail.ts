// One advisory's mail, rendered once per (revision, kind) and personalised per subscriber with only
// the headers and the unsubscribe token: cheap enough for 100,000 subscribers. Pure: no I/O, no clock.
import { createHmac, hash } from 'node:crypto';
import type { Config, MailConfig } from '../core/config.ts';
import type { Advisory } from '../core/advisory.ts';
import { upgradeCommand, upgradeTemplate } from '../core/ecosystems/index.ts';
import { bodyHtml } from './markdown.ts';
import { assemble, type CompiledMail, type MailKind, type RenderedMail } from './mail-mime.ts';
import { pageUrl } from './index-json.ts';
import { changedFields, material, revisionOf, type Material } from './mail-revision.ts';
import { templateEngine, type Templates } from './templates.ts';

// Defined next to the MIME form that consumes them, so mail-mime.ts needs nothing from this file (no cycle).
export type { MailKind, RenderedMail } from './mail-mime.ts';

export interface MailRenderInput {
  advisory: Advisory;
  config: Config;
  mail: MailConfig;
  templates: Templates;
  kind: MailKind;
  /** What the subscriber was mailed before (updates and withdrawals): drives the "Changed:" line. */
  previous?: Material;
}

export interface Recipient {
  email: string;
  token: string;
  /** Message-ID of the first mail of this advisory the subscriber got: threads updates under it. */
  original?: string;
}

/** One subscriber's message: the complete RFC 5322 bytes, the envelope, and the fields it was built from. */
export interface OutgoingMail {
  from: string;
  replyTo: string;
  to: string;
  subject: string;
  messageId: string;
  date: Date;
  headers: Record<string, string>;
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

const TOKEN = '__ADVISORIES_UNSUBSCRIBE_TOKEN__';
const RULE = '-'.repeat(72);

/** No header may carry a line break or control character, whatever an advisory field contains. */
export const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();

export function subjectOf(a: Advisory, kind: MailKind): string {
  const tags = kind === 'withdrawn' ? '[WITHDRAWN]' : `${kind === 'updated' ? '[UPDATED] ' : ''}[${a.severity.toUpperCase()}]`;
  return oneLine(`[SECURITY] ${tags} ${a.id}: ${a.title}`);
}

export const domainOf = (address: string) => /@([A-Za-z0-9.-]+)>?\s*$/.exec(address)?.[1]?.toLowerCase() ?? 'localhost';

/** Deterministic per advisory revision and subscriber; the address itself is not readable from it. */
export function messageIdFor(revision: string, email: string, domain: string): string {
  const who = hash('sha256', `${revision}\0${email.toLowerCase()}`, 'base64url').slice(0, 22);
  return `<${revision}.${who}@${domain}>`;
}

/** The address (so the endpoint knows who) and an HMAC over it (so nobody can unsubscribe others). */
export function unsubscribeToken(secret: string, email: string): string {
  const address = email.toLowerCase();
  const mac = createHmac('sha256', secret).update(address).digest('base64url').slice(0, 32);
  return `${Buffer.from(address).toString('base64url')}.${mac}`;
}

export function renderMail({ advisory: a, config, mail, templates, kind, previous }: MailRenderInput): RenderedMail {
  const render = templateEngine(templates);
  const subject = subjectOf(a, kind);
  const contact = oneLine(mail.replyTo ?? mail.from);
  const head = `${config.product} Security Advisory ${a.id}`;
  const data = {
    a,
    kind,
    subject,
    product: config.product,
    rule: RULE,
    contact,
    contactPad: ' '.repeat(Math.max(1, RULE.length - head.length - contact.length)),
    pageUrl: pageUrl(config, a.id),
    date: a.published.slice(0, 10),
    withdrawnAt: a.withdrawn?.at.slice(0, 10) ?? '',
    severity: a.severity.toUpperCase(),
    cvss: a.cvssScore ? { ...a.cvssScore, score: a.cvssScore.score.toFixed(1) } : null,
    changed: previous ? changedFields(previous, material(a)) : [],
    lines: a.lines
      .filter((l) => l.affected)
      .map((l) => ({ ...l, upgrade: l.fixedIn ? upgradeCommand(upgradeTemplate(config.upgradeCommand, a.ecosystem), a.ecosystem, a.package, l.fixedIn) : null })),
    credits: a.credits.map((c) => c.name),
    references: a.references.map((r) => r.url),
    listId: mail.listId,
    unsubscribeUrl: mail.unsubscribeUrl.replace('{token}', TOKEN),
    bodyHtml: bodyHtml(a.body),
  };
  const text = render('mail.txt.eta', data).replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n');
  return {
    revision: revisionOf(material(a)),
    kind,
    subject,
    text,
    html: render('mail.html.eta', data).split(TOKEN),
    from: oneLine(mail.from),
    replyTo: contact,
    domain: domainOf(mail.from),
    headers: {
      'List-Id': oneLine(mail.listId),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
      Precedence: 'bulk',
    },
  };
}

/** A URL as header text: anything outside ASCII percent-encoded (the token and address already are ASCII). */
const ascii = (s: string) => s.replace(/[^\x20-\x7e]+/g, (c) => encodeURIComponent(c));

export function personalise(r: CompiledMail, to: Recipient, mail: MailConfig, date: Date): OutgoingMail {
  const https = mail.unsubscribeUrl.replace('{token}', to.token);
  const unsubscribe = [`<${https}>`];
  if (mail.unsubscribeMailto) unsubscribe.push(`<mailto:${oneLine(mail.unsubscribeMailto)}?subject=unsubscribe%20${to.token}>`);
  const headers: Record<string, string> = { ...r.headers, 'List-Unsubscribe': unsubscribe.join(', ') };
  if (to.original) {
    headers['In-Reply-To'] = to.original;
    headers.References = to.original;
  }
  const email = oneLine(to.email);
  const messageId = messageIdFor(r.revision, to.email, r.domain);
  // Personal fields are ASCII (validated address, base64url token, hex ids): written as they are.
  const personal = [`To: ${email}`, `Date: ${date.toUTCString().replace(/GMT/, '+0000')}`, `Message-ID: ${messageId}`, `List-Unsubscribe: ${unsubscribe.map(ascii).join(',\r\n ')}`];
  if (to.original) personal.push(`In-Reply-To: ${to.original}`, `References: ${to.original}`);
  return {
    from: r.from,
    replyTo: r.replyTo,
    to: email,
    subject: r.subject,
    messageId,
    date,
    headers,
    raw: assemble(r, personal, to.token),
    envelope: { from: r.sender, to: [email] },
  };
}
