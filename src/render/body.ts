// Advisory Markdown → safe HTML. Sanitised with rehype-sanitize's GitHub schema: no script, no event
// handlers, no javascript: URLs, whatever the advisory author wrote.
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { memoize } from './memo.ts';
import { parseMarkdown } from './parse.ts';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();

/** Memoised: the feeds and the page of an advisory share one parse of its body. */
export const renderBody = memoize((markdown: string): string => processor.stringify(processor.runSync(parseMarkdown(markdown))));
