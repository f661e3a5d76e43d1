// Splits an advisory into frontmatter (YAML document with positions) and Markdown body (mdast).
import { toString } from 'mdast-util-to-string';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { diag } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { START } from '../diagnostics/diagnostic.ts';
import { markdownParser } from './markdown.ts';
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

  const tree = markdownParser.parse(text);
  const first = tree.children[0];
  if (!first || first.type !== 'yaml') {
    const opens = /^---[ \t]*\n/.test(text);
    return { diagnostics: [diag(opens ? 'frontmatter-unclosed' : 'frontmatter-missing', file, START)] };
  }
  const lineOffset = first.position!.start.line;
  const lineCounter = new LineCounter();
  const doc = parseDocument(first.value, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return diag('yaml-syntax', file, { line: pos.line + lineOffset, column: pos.col }, { reason: error.message.split('\n')[0] });
  });
  if (diagnostics.length > 0) return { diagnostics };

  const endOffset = first.position!.end.offset!;
  const headings: Heading[] = [];
  for (const node of tree.children) {
    if (node.type === 'heading') headings.push({ depth: node.depth, text: toString(node).trim(), line: node.position!.start.line });
  }
  return {
    parsed: {
      file,
      stem,
      doc,
      lineCounter,
      lineOffset,
      data: doc.toJS() ?? {},
      body: text.slice(endOffset).replace(/^\n+/, ''),
      bodyLine: first.position!.end.line + 1,
      headings,
    },
    diagnostics: [],
  };
}
