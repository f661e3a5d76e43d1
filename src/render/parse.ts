// One Markdown parse (remark + GFM) shared by every rendering of the same text: the page/feed HTML and
// the OSV details of a body come from one tree. Parsing dominates the build; the last few trees are
// kept. Callers must not change the tree (the OSV cleaner works on a copy).
import type { Root } from 'mdast';
import { lazy, remark } from '../load/remark.ts';

const parser = lazy(() => {
  const { unified, remarkParse, remarkGfm } = remark();
  return unified().use(remarkParse).use(remarkGfm).freeze();
});
const recent = new Map<string, Root>();
const KEEP = 4;

export function parseMarkdown(markdown: string): Root {
  let tree = recent.get(markdown);
  if (!tree) {
    tree = parser().parse(markdown);
    recent.set(markdown, tree);
    if (recent.size > KEEP) recent.delete(recent.keys().next().value!);
  }
  return tree;
}
