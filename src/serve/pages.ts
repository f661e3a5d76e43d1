// The service's own pages: small, self-contained HTML (one inline stylesheet allowed by its hash, no script),
// each with one heading and, where something can be done, one form. Every value is escaped.
import { createHash } from 'node:crypto';
import { escapeHtml as e } from '../render/escape.ts';
import type { VersionScheme } from '../core/ecosystems/types.ts';
import { SEVERITIES } from '../core/schema.ts';

const STYLE =
  'body{font:16px/1.55 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c2330}' +
  'main{max-width:36rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #d9dee5;border-radius:8px}' +
  'h1{font-size:1.4rem;color:#0f2a4a;margin-top:0}label{display:block;font-weight:600;margin:.8rem 0 .2rem}' +
  'input,select{font:inherit;padding:.4rem;border:1px solid #4d5868;border-radius:6px;width:100%;box-sizing:border-box}' +
  'button{font:inherit;font-weight:600;border:0;border-radius:6px;background:#0f2a4a;color:#fff;padding:.5rem 1rem;margin-top:1rem;cursor:pointer}' +
  'button.secondary{background:#fff;color:#9b1c1c;border:1px solid #9b1c1c}a{color:#0b5cad}:focus-visible{outline:3px solid #f5a623;outline-offset:2px}' +
  '.hint{color:#4d5868;font-size:.9rem;margin:.2rem 0 0}';

/** The Content-Security-Policy of every page: nothing but this stylesheet, forms only to the service itself. */
export const PAGE_CSP = {
  defaultSrc: ["'none'"],
  styleSrc: [`'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

export interface PageContext {
  product: string;
  siteUrl: string;
}

export function page(c: PageContext, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex">
<title>${e(title)} — ${e(c.product)} security announcements</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(title)}</h1>
${body}
<p><a href="${e(c.siteUrl)}">${e(c.product)} security advisories</a></p>
</main>
</body>
</html>
`;
}

export const paragraph = (text: string) => `<p>${e(text)}</p>`;

/** A form that posts to `action` (relative to the page) with hidden fields and one button. */
export function buttonForm(action: string, hidden: Record<string, string>, label: string, secondary = false): string {
  const fields = Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join('');
  return `<form method="post" action="${e(action)}">${fields}<button type="submit"${secondary ? ' class="secondary"' : ''}>${e(label)}</button></form>`;
}

/** The severity select and version field, shared by the preferences page. */
export function filterFields(minSeverity: string | null, versions: string | null, scheme: Pick<VersionScheme, 'rangeNotation' | 'rangeExample'>): string {
  const options = [['', 'Every severity'], ...SEVERITIES.map((s) => [s, s === 'critical' ? 'Critical only' : `${s[0]!.toUpperCase()}${s.slice(1)} and above`])]
    .map(([v, label]) => `<option value="${v}"${(minSeverity ?? '') === v ? ' selected' : ''}>${e(label!)}</option>`)
    .join('');
  return (
    `<label for="minSeverity">Mail me advisories of</label><select id="minSeverity" name="minSeverity">${options}</select>` +
    `<label for="versions">Only for versions (optional)</label>` +
    `<input id="versions" name="versions" type="text" maxlength="200" autocomplete="off" spellcheck="false" value="${e(versions ?? '')}" aria-describedby="versions-hint">` +
    `<p id="versions-hint" class="hint">A ${e(scheme.rangeNotation)} such as <code>${e(scheme.rangeExample)}</code>; empty for every version.</p>`
  );
}
