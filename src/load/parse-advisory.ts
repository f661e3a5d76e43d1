// Splits an advisory into frontmatter (YAML document with positions), body and headings. Only the
// frontmatter and headings are needed here, so the full Markdown parse runs only when the line scanner
// cannot decide (see scan-markdown.ts); render/ parses the body when it needs HTML.
import { toString } from 'mdast-util-to-string';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { diag } from '../diagnostics/catalogue.ts';
import type { Diagnostic, Place } from '../diagnostics/diagnostic.ts';
import { START } from '../diagnostics/diagnostic.ts';
import { markdownParser, type Root } from './markdown.ts';
import { scanHeadings, splitFrontmatter } from './scan-markdown.ts';
import type { SourceFile } from './read-files.ts';
import { fastYaml } from './yaml-fast.ts';
import { placeOfPath } from './yaml-place.ts';

export interface Heading {
  depth: number;
  text: string;
  line: number;
}

export interface ParsedAdvisory {
  file: string;
  /** File name without `.md`: what the id must equal. */
  stem: string;
  data: unknown;
  /** The file position of a frontmatter value (or its key); parses with positions on first use. */
  place(path: readonly (string | number)[], target?: 'value' | 'key'): Place;
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
  const lineOffset = 1; // the YAML starts on the line after the opening fence
  let located: { doc: Document; lineCounter: LineCounter } | undefined;
  const locate = () => {
    if (!located) {
      const lineCounter = new LineCounter();
      located = { doc: parseDocument(split.value, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
    }
    return located;
  };
  // Positions are only needed to report a problem: read fast, parse with positions when asked or unsure.
  let data = fastYaml(split.value);
  if (data === undefined) {
    const { doc, lineCounter } = locate();
    const diagnostics: Diagnostic[] = doc.errors.map((error) => {
      const pos = lineCounter.linePos(error.pos[0]);
      return diag('yaml-syntax', file, { line: pos.line + lineOffset, column: pos.col }, { reason: error.message.split('\n')[0] });
    });
    if (diagnostics.length > 0) return { diagnostics };
    data = doc.toJS() ?? {};
  }
  const place: ParsedAdvisory['place'] = (path, target = 'value') => {
    const { doc, lineCounter } = locate();
    return placeOfPath(doc, lineCounter, path, lineOffset, target);
  };

  const headings = scanHeadings(text, split.endOffset + 1, split.endLine + 1) ?? headingsOf(markdownParser.parse(text));
  return {
    parsed: {
      file,
      stem,
      data,
      place,
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
