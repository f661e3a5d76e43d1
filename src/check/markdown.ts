// The one Markdown parser configuration, shared by every stage that reads Markdown.
import type { Root } from 'mdast';
import { lazy, remark } from '../core/remark.ts';

export type { Root };

const parser = lazy(() => {
  const { unified, remarkParse, remarkFrontmatter, remarkGfm } = remark();
  return unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();
});

export const markdownParser = { parse: (text: string): Root => parser().parse(text) };

/** Strips a UTF-8 BOM and folds CRLF/CR to LF; line numbers stay the same. */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Deeper than this, the Markdown parser's time grows steeply with each level (and its tree walks can
 * exhaust the stack), so a file nesting quotes or lists deeper is refused before it is parsed. Real
 * advisories stay within a few levels.
 */
export const MAX_NESTING = 16;
/**
 * The parser's time also grows steeply with the length of lists and quotes (nested ones most), so one
 * Markdown text may hold at most this much container content, counted as the quote and list markers
 * plus the lines that continue them (indented, or lazily right below): many times what a real advisory
 * or SECURITY.md has.
 */
export const MAX_CONTAINER_CONTENT = 1000;
/** A list item indented this far is nested past MAX_NESTING levels (each level indents two or more columns). */
const MAX_ITEM_INDENT = 2 * MAX_NESTING + 8;

const CONTAINER = /^[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/;
const INDENTED = /^[ \t]+\S/;
const FENCE = /^(`{3,}|~{3,})/;

const columns = (space: string) => [...space].reduce((n, c) => (c === '\t' ? n + 4 - (n % 4) : n + 1), 0);

/** Where a Markdown text goes past a limit, and the `markdown-limit` diagnostic's parameters. */
export type MarkdownOverLimit = { line: number; params: { depth: number; limit: number } | { content: number; limit: number } };

/**
 * The first line (1-based, from the text's start) whose quote and list nesting goes past MAX_NESTING,
 * or where its container content goes past MAX_CONTAINER_CONTENT; undefined when none is.
 * Counts the markers that open a container on each line and the indentation of list items, outside
 * fenced code.
 */
export function markdownOverLimit(text: string): MarkdownOverLimit | undefined {
  const lines = text.split('\n');
  let fence: string | undefined;
  let content = 0;
  let inContainer = false;
  for (let i = 0; i < lines.length; i++) {
    let rest = lines[i]!;
    let markers = 0;
    let indent = 0;
    for (let m = CONTAINER.exec(rest); m; m = CONTAINER.exec(rest)) {
      markers++;
      if (markers === 1) indent = columns(/^[ \t]*/.exec(rest)![0]);
      rest = rest.slice(m[0].length);
    }
    const body = rest.trimStart();
    const open = FENCE.exec(body)?.[1];
    if (fence) {
      if (open && open[0] === fence[0] && open.length >= fence.length) fence = undefined;
      continue;
    }
    if (open) fence = open;
    const depth = Math.max(markers, markers > 0 && indent > MAX_ITEM_INDENT ? MAX_NESTING + 1 : 0);
    if (depth > MAX_NESTING) return { line: i + 1, params: { depth: markers > MAX_NESTING ? markers : Math.floor(indent / 2), limit: MAX_NESTING } };
    if (markers > 0) content += markers;
    else if (INDENTED.test(rest) || (inContainer && body !== '')) content++;
    inContainer = markers > 0 || (inContainer && body !== '');
    if (content > MAX_CONTAINER_CONTENT) return { line: i + 1, params: { content, limit: MAX_CONTAINER_CONTENT } };
  }
  return undefined;
}
