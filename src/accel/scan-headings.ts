// The top-level headings of an advisory body without the full Markdown parse, which is most of a
// cold check's time. Exact on the documents it accepts; `undefined` (parse fully) on anything it
// cannot decide from the line alone: HTML blocks, setext underlines, indented headings or fences,
// inline markup in a heading. test/accel/scan-headings.test.ts compares it with remark.

import type { Heading } from '../check/parse-advisory.ts';

// Characters that make a heading's text differ from its source (escapes, entities, code, emphasis,
// links, HTML, closing #s): such headings are left to the full parser.
const INLINE_MARKUP = /[\\&`*_~[\]<>#\t]/;
const ATX = /^(#{1,6})(?:[ \t](.*))?$/;
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const SETEXT_UNDERLINE = /^(=+|-+)[ \t]*$/;
// `<scheme:` cannot open an HTML block: after the would-be tag name comes ':', where a tag needs white
// space, '>' or '/' (CommonMark's seven start conditions). Such a line is paragraph text (an autolink).
const AUTOLINK_START = /^<[A-Za-z][A-Za-z0-9+.-]{1,31}:/;

/** Column after the leading blanks (tabs to the next multiple of 4), and whether a tab was seen. */
function indentOf(line: string): { column: number; chars: number; tab: boolean } {
  let column = 0;
  let chars = 0;
  let tab = false;
  for (; chars < line.length; chars++) {
    const c = line.charCodeAt(chars);
    if (c === 32) column++;
    else if (c === 9) {
      column += 4 - (column % 4);
      tab = true;
    } else break;
  }
  return { column, chars, tab };
}

/**
 * Top-level headings from `offset` (the start of line `line`) to the end, or `undefined` when the
 * text holds a construct only the full parser decides. A line that starts at column 0 is never inside
 * a list item or block quote unless it continues a paragraph, which ATX headings and fences never do.
 */
export function scanHeadings(text: string, offset: number, line: number): Heading[] | undefined {
  const headings: Heading[] = [];
  let fence: { char: string; length: number } | undefined;
  let previousBlank = true;
  for (let pos = offset; pos <= text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const current = text.slice(pos, end);
    pos = end + 1;
    const { column, chars, tab } = indentOf(current);
    const rest = current.slice(chars);
    if (fence) {
      if (column < 4 && rest.startsWith(fence.char.repeat(fence.length)) && new RegExp(`^\\${fence.char}+[ \\t]*$`).test(rest)) fence = undefined;
      previousBlank = false;
      continue;
    }
    if (rest === '') {
      previousBlank = true;
      continue;
    }
    const wasBlank = previousBlank;
    previousBlank = false;
    if (column >= 4) continue; // indented code or a nested block's content: never a top-level heading
    if (tab || (rest.startsWith('<') && !AUTOLINK_START.test(rest)) || (SETEXT_UNDERLINE.test(rest) && !wasBlank)) return undefined;
    const atx = ATX.exec(rest);
    const open = FENCE_OPEN.exec(rest);
    if (column > 0) {
      if (atx || open) return undefined; // could belong to a list item: let the parser decide
      continue;
    }
    if (atx) {
      const content = atx[2] ?? '';
      if (INLINE_MARKUP.test(content)) return undefined;
      headings.push({ depth: atx[1]!.length, text: content.trim(), line });
    } else if (open) {
      const char = open[1]![0]!;
      if (char === '`' && open[2]!.includes('`')) return undefined;
      fence = { char, length: open[1]!.length };
    }
  }
  return headings;
}
