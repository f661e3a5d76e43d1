// Splits an advisory into frontmatter (YAML document with positions), body and headings. Only the
// frontmatter and headings are needed here, so the full Markdown parse runs only when the line scanner
// cannot decide (see scan-markdown.ts); render/ parses the body when it needs HTML.
import { toString } from 'mdast-util-to-string';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { diag } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { START } from '../diagnostics/diagnostic.ts';
import { markdownParser, type Root } from './markdown.ts';
import { scanHeadings, splitFrontmatter } from './scan-markdown.ts';
import type { SourceFile } from './read-files.ts';

export interface Heading {
  depth: number;
  text: string;
  line: number;
}

export interface ParsedAdvisory {
  file: string;
  /** File name without `.md`: what the id must equal. */
  stem: string;
  doc: Document;
  lineCounter: LineCounter;
  /** Lines before the YAML starts (the opening fence), to turn YAML lines into file lines. */
  lineOffset: number;
  data: unknown;
  /** Markdown after the frontmatter. */
  body: string;
  bodyLine: number;
  headings: Heading[];
}

export function parseAdvisory(source: SourceFile): { parsed?: ParsedAdvisory; diagnostics: Diagnostic[] } {
  const { file, text } = source;
  const stem = file.split('/').pop()!.replace(/\.md$/, '');
  if (text.trim() === '') return { diagnostics: [diag('file-empty', file, START)] };

  const split = splitFrontmatter(text);
  if (!split) {
    const opens = /^---[ \t]*\n/.test(text);
    return { diagnostics: [diag(opens ? 'frontmatter-unclosed' : 'frontmatter-missing', file, START)] };
  }
  const lineOffset = 1;
  const lineCounter = new LineCounter();
  const doc = parseDocument(split.value, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return diag('yaml-syntax', file, { line: pos.line + lineOffset, column: pos.col }, { reason: error.message.split('\n')[0] });
  });
  if (diagnostics.length > 0) return { diagnostics };

  const headings = scanHeadings(text, split.endOffset + 1, split.endLine + 1) ?? headingsOf(markdownParser.parse(text));
  return {
    parsed: {
      file,
      stem,
      doc,
      lineCounter,
      lineOffset,
      data: doc.toJS() ?? {},
      body: text.slice(split.endOffset).replace(/^\n+/, ''),
      bodyLine: split.endLine + 1,
      headings,
    },
    diagnostics: [],
  };
}

/** The top-level headings of a full parse: the reference the scanner must agree with. */
export function headingsOf(tree: Root): Heading[] {
  const headings: Heading[] = [];
  for (const node of tree.children) {
    if (node.type === 'heading') headings.push({ depth: node.depth, text: toString(node).trim(), line: node.position!.start.line });
  }
  return headings;
}
