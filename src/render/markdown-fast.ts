// A fast path for the Markdown most advisories are made of. remark (micromark) is exact but costs
// about 2.5 ms per body; markdown-it parses the same CommonMark in a tenth of that. It is used only
// where it renders what the remark path renders: a body with anything outside the subset gated below
// (raw HTML, a link other than http(s)/mailto/relative, footnotes, task lists, strikethrough, bare URLs
// and e-mail addresses that GFM would autolink, and the corners where the two parsers were found to
// disagree) returns null and goes through remark. The output is byte-identical to remark-rehype +
// rehype-sanitize + rehype-stringify (same escaping, same attributes): test/markdown-fast.test.ts fuzzes
// the two against each other; the gates past the GFM-only syntax are disagreements that fuzzing found.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

type Env = { references?: Record<string, { href: string }> };

const md = new MarkdownIt('commonmark', { html: true, xhtmlOut: false }).enable('table');
// Every link and image becomes a token, whatever its scheme, so the gate below judges it.
md.validateLink = () => true;

// http(s), mailto, or relative (no scheme: no colon before the first / ? #).
export const SAFE_URL = /^(https?:|mailto:|[^:/?#]*(?:[/?#]|$))/i;
// Images: rehype-sanitize allows only http(s) or relative sources.
const SAFE_SRC = /^(https?:|[^:/?#]*(?:[/?#]|$))/i;

// Text GFM would turn into something else (autolink literals: www., scheme://, e-mail; ~strike~), and
// brackets or emphasis delimiters left over unmatched: where a run is split or a bracket left open,
// the parsers' matching differs (an intraword `_`, as in snake_case, is plain text to both). A `<`
// that could open a tag is deferred too, in case micromark reads HTML there (`< 1.0` is fine).
const TEXT_HAZARD = /www\.|:\/\/|@|~|mailto:|xmpp:|\[|\]|\*|(?:^|[^A-Za-z0-9])_|_(?:$|[^A-Za-z0-9])|<[A-Za-z/!?]/i;
// Footnotes and task-list items (GFM syntax markdown-it's CommonMark does not know), list items that
// start blank, and carriage returns and NULs (remark keeps CRs in text and code; markdown-it
// normalises both).
const GFM_SOURCE = /\r|\0|\[\^|^[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\]|[ \t]*$)/m;

/** hast-util-to-html's escaping: in text only `&` and `<`, in attribute values `&` and `"`. */
const escapeText = (s: string) => s.replace(/[&<]/g, (c) => (c === '&' ? '&#x26;' : '&#x3C;'));
const escapeAttr = (s: string) => s.replace(/[&"]/g, (c) => (c === '&' ? '&#x26;' : '&#x22;'));

const attr = (token: Token, name: string) => String(token.attrGet(name) ?? '');
const rules = md.renderer.rules;
rules.text = (tokens, i) => escapeText(tokens[i]!.content);
rules.code_inline = (tokens, i) => `<code>${escapeText(tokens[i]!.content)}</code>`;
// remark-rehype ends a non-empty code block with one newline, even a fence left open at the end.
const codeText = (content: string) => escapeText(content === '' || content.endsWith('\n') ? content : `${content}\n`);
rules.code_block = (tokens, i) => `<pre><code>${codeText(tokens[i]!.content)}</code></pre>\n`;
rules.fence = (tokens, i) => {
  const token = tokens[i]!;
  const lang = md.utils.unescapeAll(token.info).trim().split(/\s+/)[0];
  const attr = lang ? ` class="${escapeAttr(`language-${lang}`)}"` : '';
  return `<pre><code${attr}>${codeText(token.content)}</code></pre>\n`;
};
rules.image = (tokens, i, options, env, self) => {
  const token = tokens[i]!;
  const title = token.attrGet('title');
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  return `<img src="${escapeAttr(attr(token, 'src'))}" alt="${escapeAttr(alt)}"${title !== null ? ` title="${escapeAttr(String(title))}"` : ''}>`;
};
// Table cells: remark-rehype writes alignment as `align`, markdown-it as a style.
const cell = (tag: string) => (tokens: Token[], i: number) => {
  const align = /text-align:(left|center|right)/.exec(attr(tokens[i]!, 'style'))?.[1];
  return `<${tag}${align ? ` align="${align}"` : ''}>`;
};
rules.th_open = cell('th');
rules.td_open = cell('td');
md.renderer.renderAttrs = (token) => (token.attrs ?? []).map(([name, value]) => ` ${name}="${escapeAttr(String(value))}"`).join('');

// Emphasis next to non-ASCII (the parsers classify Unicode punctuation and spaces differently), next
// to a backslash escape or a character reference, and runs of three or more delimiters: there their
// matching algorithms part ways.
const HARD_EMPHASIS = /(?:[^\x00-\x7f]|[\\&;])[*_]|[*_](?:[^\x00-\x7f]|[\\&;])|\*\*\*|___/;
const QUOTED = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*>/;
// The two parsers agree on tables written in full: every line between a leading and a trailing pipe.
const PIPED = /^ {0,3}\|.*\|[ \t]*$/;

/** Whether every token is one the fast renderer reproduces exactly. */
function inSubset(tokens: Token[], lines: string[]): boolean {
  let inTable = false;
  let previous: Token | undefined;
  for (const token of tokens) {
    switch (token.type) {
      case 'table_open':
        if (!lines.slice(token.map![0], token.map![1]).every((line) => PIPED.test(line))) return false;
        inTable = true;
        break;
      case 'fence': {
        // A fence left open runs to the end: the parsers keep its trailing blank lines differently.
        const last = token.map![1] - 1;
        const close = lines[last]?.replace(/^[\s>]*/, '').trimEnd() ?? '';
        if (last === token.map![0] || !close.startsWith(token.markup) || close.replaceAll(token.markup[0]!, '') !== '') return false;
        break;
      }
      case 'code_block':
        return false; // indented code: where it ends, and what follows, the parsers often read apart
      case 'blockquote_open':
        // Lazy continuation lines (no `>`) are where the parsers differ.
        if (!lines.slice(token.map![0], token.map![1]).every((line) => QUOTED.test(line))) return false;
        break;
      case 'blockquote_close':
        if (previous?.type === 'blockquote_open') return false; // empty: written apart by markdown-it only
        break;
      case 'list_item_close':
        if (previous?.type === 'list_item_open') return false; // an empty item: the parsers disagree on `- *`
        break;
      case 'table_close':
        inTable = false;
        break;
      case 'html_block':
      case 'html_inline':
        return false;
      case 'link_open':
        if (!SAFE_URL.test(attr(token, 'href'))) return false;
        break;
      case 'image':
        if (!SAFE_SRC.test(attr(token, 'src'))) return false;
        break;
      case 'code_inline':
        if (token.content.trim() === '') return false; // micromark trims a blank one at a paragraph's end
        break;
      case 'text':
        if (TEXT_HAZARD.test(token.content)) return false;
        break;
      case 'inline':
        if (HARD_EMPHASIS.test(token.content)) return false;
        // micromark keeps the whitespace of a blank trailing table cell; markdown-it drops it.
        if (inTable && token.content.trim() === '') return false;
        break;
    }
    if (token.children && !inSubset(token.children, lines)) return false;
    previous = token;
  }
  return true;
}

// Tabs in indentation, after a container marker or at a line's end: the parsers expand and strip
// them differently. Inside a top-level fence a tab is plain content to both.
const TAB_HAZARD = /^[ \t>*+\-\d.)]*\t|\t[ \t]*$/;

function tabHazard(tokens: Token[], lines: string[]): boolean {
  const fenced = new Set<number>();
  for (const t of tokens) if (t.type === 'fence' && t.level === 0) for (let l = t.map![0] + 1; l < t.map![1] - 1; l++) fenced.add(l);
  return lines.some((line, i) => line.includes('\t') && !fenced.has(i) && TAB_HAZARD.test(line));
}

const DEFINITION_THEN_TEXT = /^ {0,3}\[[^\n]*\]:[^\n]*\n[ \t]*\S/m;

// The page HTML and the OSV details of a body both ask: one parse serves both (the last few are kept).
const recent = new Map<string, Token[] | null>();
const KEEP = 8;

/** The parsed tokens when the body is inside the fast path's subset, else null. */
export function fastTokens(markdown: string): Token[] | null {
  if (recent.has(markdown)) return recent.get(markdown)!;
  const tokens = subsetTokens(markdown);
  recent.set(markdown, tokens);
  if (recent.size > KEEP) recent.delete(recent.keys().next().value!);
  return tokens;
}

function subsetTokens(markdown: string): Token[] | null {
  if (GFM_SOURCE.test(markdown)) return null;
  const env: Env = {};
  const tokens = md.parse(markdown, env);
  const lines = markdown.split('\n');
  if (!inSubset(tokens, lines) || tabHazard(tokens, lines)) return null;
  // A definition nothing uses is still in the text (and in OSV details): its target must be safe too.
  if (Object.values(env.references ?? {}).some((r) => !SAFE_URL.test(r.href))) return null;
  // Lines right after a link reference definition: micromark may continue the definition as a
  // paragraph where markdown-it starts a block.
  if (env.references && DEFINITION_THEN_TEXT.test(markdown)) return null;
  return tokens;
}

/** Sanitised HTML exactly as the remark path writes it, or null when the body needs that path. */
export function fastHtml(markdown: string): string | null {
  const tokens = fastTokens(markdown);
  return tokens && md.renderer.render(tokens, md.options, {}).replace(/\n$/, '');
}
