// The one Markdown parser configuration, shared by every stage that reads Markdown.
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

export const markdownParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

export type Root = ReturnType<typeof markdownParser.parse>;

/** Strips a UTF-8 BOM and folds CRLF/CR to LF; line numbers stay the same. */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
