// Advisory Markdown → safe HTML. Sanitised with rehype-sanitize's GitHub schema: no script, no event
// handlers, no javascript: URLs, whatever the advisory author wrote. Bodies inside markdown-it's
// proven subset take the fast path (render/markdown-fast.ts), with the same bytes as a result.
import { lazy, remark } from '../load/remark.ts';
import { fastHtml } from './markdown-fast.ts';
import { memoize } from './memo.ts';
import { parseMarkdown } from './parse.ts';

const processor = lazy(() => {
  const { unified, remarkParse, remarkGfm, remarkRehype, rehypeSanitize, rehypeStringify } = remark();
  return unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();
});

/** The remark path: exact for every input, and the reference the fast path is tested against. */
export const renderBodyExact = (markdown: string): string => processor().stringify(processor().runSync(parseMarkdown(markdown)));

/** Memoised: the feeds and the page of an advisory share one rendering of its body. */
export const renderBody = memoize(fastHtml, renderBodyExact);
