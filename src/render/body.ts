// Advisory Markdown → safe HTML. Sanitised with rehype-sanitize's GitHub schema: no script, no event
// handlers, no javascript: URLs, whatever the advisory author wrote.
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();

export function renderBody(markdown: string): string {
  return String(processor.processSync(markdown));
}
