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
