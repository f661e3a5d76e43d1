// Advisory Markdown → Markdown without raw HTML and without links other than http(s)/mailto.
// OSV `details` is Markdown that other sites render; the spec asks databases not to ship either.
import type { Nodes, Parent, Root } from 'mdast';
import { lazy, remark } from '../load/remark.ts';
import { fastTokens, SAFE_URL } from './markdown-fast.ts';
import { memoize } from './memo.ts';
import { parseMarkdown } from './parse.ts';


function clean(node: Nodes): Nodes[] {
  if (node.type === 'html') return [];
  if ((node.type === 'link' || node.type === 'definition' || node.type === 'image') && !SAFE_URL.test(node.url.trim())) {
    // Keep the words, drop the target.
    if (node.type === 'link') return node.children.flatMap(clean);
    if (node.type === 'image') return node.alt ? [{ type: 'text', value: node.alt }] : [];
    return [];
  }
  if ('children' in node) (node as Parent).children = (node as Parent).children.flatMap((c) => clean(c as Nodes)) as Parent['children'];
  return [node];
}

const processor = lazy(() => {
  const { unified, remarkParse, remarkGfm, remarkStringify } = remark();
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(() => (tree: Root) => void clean(tree))
    .use(remarkStringify, { bullet: '-', fences: true })
    .freeze();
});

/** The remark path: cleans the tree and writes it back as Markdown. */
export const safeMarkdownExact = (markdown: string): string =>
  processor().stringify(processor().runSync(structuredClone(parseMarkdown(markdown))) as Root);

/**
 * Text with nothing to remove (inside the fast path's subset: no raw HTML, every link and definition
 * http(s), mailto or relative) is kept exactly as the author wrote it; the rest is cleaned by remark.
 */
export const safeMarkdown = memoize((markdown) => (fastTokens(markdown) ? markdown : null), safeMarkdownExact);
