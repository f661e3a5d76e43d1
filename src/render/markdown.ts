// Advisory Markdown, parsed once by remark (GFM), rendered two ways:
// - HTML through remark-rehype and rehype-sanitize with GitHub's schema: no script, no event handlers,
//   no javascript: URLs, whatever the advisory author wrote. Every HTML body passes here.
// - OSV `details`: Markdown other sites render, which the OSV spec asks to hold no raw HTML and no
//   unsafe links. Text with nothing to remove stays exactly as the author wrote it; otherwise the
//   cleaned tree is written back by remark-stringify.
import type { Nodes, Parent, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { lazy, remark } from '../core/remark.ts';
import type { MarkdownRenderer } from './site-input.ts';

/** Links that stay in OSV details: web and mail, and relative ones. */
const SAFE_URL = /^(https?:|mailto:|[^:/?#]*(?:[/?#]|$))/i;
/**
 * What any node the OSV cleaner removes starts from: raw HTML and autolinks open with `<`, links,
 * images and definitions with `[`, and of GFM's literal autolinks only `xmpp:` gives a target outside
 * SAFE_URL (the others are http, https or mailto). A text without them is its own OSV details, unparsed.
 */
const MAY_BE_UNSAFE = /[<[]|xmpp:/i;

const parser = lazy(() => {
  const { unified, remarkParse, remarkGfm } = remark();
  return unified().use(remarkParse).use(remarkGfm).freeze();
});

const toHtml = lazy(() => {
  const { unified, remarkRehype, rehypeSanitize, rehypeStringify } = remark();
  return unified().use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();
});

const toMarkdown = lazy(() => {
  const { unified, remarkGfm, remarkStringify } = remark();
  return unified().use(remarkGfm).use(remarkStringify, { bullet: '-', fences: true }).freeze();
});

// The page, its feed items and its OSV details render the same body: the last trees are kept so that
// it is parsed once. The trees are never changed (the OSV cleaner works on a copy).
const recent = new Map<string, Root>();
const KEEP = 4;
function parse(markdown: string): Root {
  let tree = recent.get(markdown);
  if (!tree) {
    tree = parser().parse(markdown);
    recent.set(markdown, tree);
    if (recent.size > KEEP) recent.delete(recent.keys().next().value!);
  }
  return tree;
}

export function bodyHtml(markdown: string): string {
  const processor = toHtml();
  return processor.stringify(processor.runSync(parse(markdown)) as never);
}

/** Raw HTML, or a link, definition or image whose target is not web, mail or relative. */
const unsafeNode = (node: Nodes): boolean =>
  node.type === 'html' || ((node.type === 'link' || node.type === 'definition' || node.type === 'image') && !SAFE_URL.test(node.url.trim()));

const hasUnsafe = (node: Nodes): boolean => unsafeNode(node) || ('children' in node && (node as Parent).children.some((c) => hasUnsafe(c as Nodes)));

function clean(node: Nodes): Nodes[] {
  if (unsafeNode(node)) {
    // Keep the words, drop the target.
    if (node.type === 'link') return node.children.flatMap(clean);
    if (node.type === 'image') return node.alt ? [{ type: 'text', value: node.alt }] : [];
    return [];
  }
  if ('children' in node) (node as Parent).children = (node as Parent).children.flatMap((c) => clean(c as Nodes)) as Parent['children'];
  return [node];
}

export function osvDetails(markdown: string): string {
  if (!MAY_BE_UNSAFE.test(markdown)) return markdown;
  const tree = parse(markdown);
  if (!hasUnsafe(tree)) return markdown;
  const copy = structuredClone(tree);
  clean(copy);
  return toMarkdown().stringify(copy);
}

// Plain text for formats that carry no markup (CSAF notes): the words of each block, blocks apart by
// a blank line, list items on lines of their own; raw HTML is left out, never shown as tags.
const inline = (node: Nodes) => toString(node, { includeHtml: false }).replace(/\s*\n\s*/g, ' ').trim();

function blockText(node: RootContent): string {
  switch (node.type) {
    case 'html':
    case 'thematicBreak':
    case 'definition':
    case 'footnoteDefinition':
      return '';
    case 'code':
      return node.value;
    case 'list':
      return node.children
        .map((item, i) => `${node.ordered ? `${(node.start ?? 1) + i}.` : '-'} ${blocksText(item.children).replace(/\n/g, '\n  ')}`)
        .join('\n');
    case 'blockquote':
      return blocksText(node.children);
    case 'table':
      return node.children.map((row) => row.children.map(inline).join(' | ')).join('\n');
    default:
      return inline(node);
  }
}

const blocksText = (nodes: readonly RootContent[]) => nodes.map(blockText).filter((t) => t !== '').join('\n\n');

export function plainText(markdown: string): string {
  return blocksText(parse(markdown).children);
}

/** The one Markdown renderer; accel/ may answer for it from what it rendered with it earlier. */
export const markdownRenderer: MarkdownRenderer = { html: bodyHtml, osvDetails, text: plainText };
