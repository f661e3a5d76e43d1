// The top-level headings of an advisory body without the full Markdown parse, which is most of a
// cold check's time. Exact on the documents it accepts; `undefined` (parse fully) on anything it
// cannot decide from the lines alone: HTML blocks, setext underlines, indented headings, inline markup
// in a heading other than code spans, an indented fence whose end depends on an enclosing list.
// test/accel/scan-headings.test.ts compares it with remark.

import type { Heading } from '../check/parse-advisory.ts';

// Outside code spans, what makes a heading's text differ from its source (escapes, character
// references, emphasis, links, HTML, closing #s): such headings are left to the full parser. `&` starts
// a reference only before a letter or `#`; `>` means something only after a `<`.
const INLINE_MARKUP = /[\\*_~[\]<#\t]|&[A-Za-z#]/;
const ATX = /^(#{1,6})(?:[ \t](.*))?$/;
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const SETEXT_UNDERLINE = /^(=+|-+)[ \t]*$/;
// `<scheme:` cannot open an HTML block: after the would-be tag name comes ':', where a tag needs white
// space, '>' or '/' (CommonMark's seven start conditions). Such a line is paragraph text (an autolink).
const AUTOLINK_START = /^<[A-Za-z][A-Za-z0-9+.-]{1,31}:/;

interface Fence {
  char: string;
  length: number;
}

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

/** A line (without its indentation) that closes the fence: its character, at least as many, then only blanks. */
function closes(rest: string, fence: Fence): boolean {
  let i = 0;
  while (rest[i] === fence.char) i++;
  if (i < fence.length) return false;
  for (; i < rest.length; i++) if (rest[i] !== ' ' && rest[i] !== '\t') return false;
  return true;
}

/**
 * A heading's text as remark's toString gives it, or undefined for markup other than code spans. A code
 * span (CommonMark) runs from n backticks to the next run of exactly n and gives its content, less one
 * space at each end when both ends have one and it is not all spaces.
 */
function headingText(content: string): string | undefined {
  if (content.includes('\t')) return undefined;
  let text = '';
  for (let pos = 0; pos < content.length; ) {
    const tick = content.indexOf('`', pos);
    const plain = content.slice(pos, tick < 0 ? content.length : tick);
    if (INLINE_MARKUP.test(plain)) return undefined;
    text += plain;
    if (tick < 0) break;
    let open = tick;
    while (content[open] === '`') open++;
    const run = open - tick;
    let close = content.indexOf('`', open);
    for (;;) {
      if (close < 0) return undefined; // no closing run: literal backticks, left to the parser
      let end = close;
      while (content[end] === '`') end++;
      if (end - close === run) break;
      close = content.indexOf('`', end);
    }
    const code = content.slice(open, close);
    const padded = code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '';
    text += padded ? code.slice(1, -1) : code;
    pos = close + run;
  }
  return text.trim();
}

/**
 * Where a fence opened at `column` 1 to 3 ends, the same whether it is top-level or inside a list item
 * (whose content column is then at most `column`): the offset after its closing line (past the text's
 * end when it runs to the end) and the lines to there; undefined when the two readings could differ.
 * Every line up to the closing one must be blank or indented at least as far as the fence, so it stays
 * inside such an item (a shallower one would end the item, and the fence with it).
 */
function indentedFenceEnd(text: string, pos: number, column: number, fence: Fence): { pos: number; lines: number } | undefined {
  for (let lines = 1; pos <= text.length; lines++) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const current = text.slice(pos, end);
    pos = end + 1;
    const indent = indentOf(current);
    const rest = current.slice(indent.chars);
    if (rest === '') continue;
    if (indent.tab || indent.column < column) return undefined;
    // Inside a list item a closing line may be indented up to three columns past the item's content.
    if (closes(rest, fence)) return indent.column < 4 ? { pos, lines } : undefined;
  }
  return { pos, lines: 0 };
}

/**
 * Top-level headings from `offset` (the start of line `line`) to the end, or `undefined` when the
 * text holds a construct only the full parser decides. A line that starts at column 0 is never inside
 * a list item or block quote unless it continues a paragraph, which ATX headings and fences never do.
 */
export function scanHeadings(text: string, offset: number, line: number): Heading[] | undefined {
  const headings: Heading[] = [];
  let fence: Fence | undefined;
  let previousBlank = true;
  for (let pos = offset; pos <= text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const current = text.slice(pos, end);
    pos = end + 1;
    const { column, chars, tab } = indentOf(current);
    const rest = current.slice(chars);
    if (fence) {
      if (column < 4 && closes(rest, fence)) fence = undefined;
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
    if (open && open[1]![0] === '`' && open[2]!.includes('`')) return undefined;
    const opened = open ? { char: open[1]![0]!, length: open[1]!.length } : undefined;
    if (column > 0) {
      if (atx) return undefined; // could belong to a list item: let the parser decide
      if (opened) {
        const after = indentedFenceEnd(text, pos, column, opened);
        if (after === undefined) return undefined;
        ({ pos } = after);
        line += after.lines;
      }
      continue;
    }
    if (atx) {
      const content = headingText(atx[2] ?? '');
      if (content === undefined) return undefined;
      headings.push({ depth: atx[1]!.length, text: content, line });
    } else if (opened) fence = opened;
  }
  return headings;
}
