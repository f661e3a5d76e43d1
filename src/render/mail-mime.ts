// The MIME form of one rendered mail, built once per (revision, kind): the shared headers encoded and
// folded by nodemailer, both parts quoted-printable encoded. Per subscriber only a few ASCII header lines
// and the unsubscribe token are spliced in, so 100,000 recipients cost 100,000 concatenations, not
// 100,000 MIME compilations. Pure: no I/O, no clock.
import addressparser from 'nodemailer/lib/addressparser';
import MimeNode from 'nodemailer/lib/mime-node';
import { encode, wrap } from 'nodemailer/lib/qp';

export type MailKind = 'new' | 'updated' | 'withdrawn';

/** One advisory's mail as render/mail.ts renders it, before MIME encoding and personalising. */
export interface RenderedMail {
  revision: string;
  kind: MailKind;
  subject: string;
  text: string;
  /** The HTML split around the unsubscribe token, so personalising is one concatenation. */
  html: readonly string[];
  from: string;
  replyTo: string;
  domain: string;
  headers: Readonly<Record<string, string>>;
}

export interface CompiledMail extends RenderedMail {
  /** Shared header fields (From … Precedence), CRLF-terminated, ready to be sent as they are. */
  head: string;
  /** MIME-Version, Content-Type, the blank line and the text part up to the HTML part's content. */
  open: Buffer;
  /** The HTML part's encoded content, cut where the token goes; each piece ends at a line start. */
  encodedHtml: readonly string[];
  /** The closing boundary. */
  close: Buffer;
  /** Envelope sender: the bare address of `from`. */
  sender: string;
}

const CRLF = '\r\n';
const qp = (s: string) => wrap(encode(s.replace(/\r?\n/g, CRLF)), 76);
/** Ends the encoded piece with a line break, soft if needed, so whatever follows starts a fresh line. */
const toLineStart = (encoded: string) => (encoded === '' || encoded.endsWith(CRLF) ? encoded : `${encoded}=${CRLF}`);

/**
 * Header fields encoded and folded by nodemailer, each CRLF-terminated, for the fields many messages share.
 * nodemailer adds Date, Message-ID, MIME-Version and a content type: those are left out, to be written per message.
 */
export function encodeHeaders(fields: Readonly<Record<string, string>>): string {
  const node = new MimeNode('text/plain');
  node.setHeader({ ...fields });
  const own = /^(date|message-id|mime-version|content-type|content-transfer-encoding):/i;
  return node
    .buildHeaders()
    .split(/\r\n(?![ \t])/)
    .filter((field) => !own.test(field))
    .map((field) => field + CRLF)
    .join('');
}

/** Text as quoted-printable with CRLF line ends, lines of at most 76 characters. */
export const quotedPrintable = qp;

export function compileMail(r: RenderedMail): CompiledMail {
  const head = encodeHeaders({ From: r.from, 'Reply-To': r.replyTo, Subject: r.subject, ...r.headers });
  // "=_" never occurs in quoted-printable output, so the boundary cannot collide with the content.
  const boundary = `=_advisories_${r.revision}_${r.kind}`;
  const part = (type: string) => `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
  // The CRLF before each boundary belongs to the boundary, not to the content.
  const open = `MIME-Version: 1.0${CRLF}Content-Type: multipart/alternative; boundary="${boundary}"${CRLF}${CRLF}${part('text/plain')}${qp(r.text)}${CRLF}${part('text/html')}`;
  const encodedHtml = r.html.map((piece, i) => (i < r.html.length - 1 ? toLineStart(qp(piece)) : qp(piece)));
  const sender = addressparser(r.from, { flatten: true })[0]?.address ?? r.from;
  return { ...r, head, open: Buffer.from(open, 'latin1'), encodedHtml, close: Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1'), sender };
}

/** The token in quoted-printable: it is plain ASCII, so only wrapped; it ends on a soft line break. */
export function encodeToken(token: string): string {
  let out = '';
  for (let i = 0; i < token.length; i += 72) out += `${token.slice(i, i + 72)}=${CRLF}`;
  return out;
}

/** One complete message: personal header lines (ASCII, one line each), the shared ones, the body. */
export function assemble(c: CompiledMail, personal: readonly string[], token: string): Buffer {
  const html = c.encodedHtml.join(encodeToken(token));
  // The personal headers are UTF-8: an internationalised address (sent with SMTPUTF8, RFC 6532) stays intact.
  return Buffer.concat([Buffer.from(personal.join(CRLF) + CRLF, 'utf8'), Buffer.from(c.head, 'latin1'), c.open, Buffer.from(html, 'latin1'), c.close]);
}
