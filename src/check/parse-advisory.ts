// Splits an advisory into frontmatter (one YAML document, read by the `yaml` package, which decides
// every value and gives every position), body and top-level headings (remark's parse).
import { toString } from 'mdast-util-to-string';
import { LineCounter, parseDocument, visit } from 'yaml';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic, Place } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { markdownOverLimit, markdownParser, type Root } from './markdown.ts';
import type { SourceFile } from './read-files.ts';
import { placeOfPath } from './yaml-place.ts';

export interface Heading {
  depth: number;
  text: string;
  line: number;
}

/**
 * The top-level headings of the text from `offset` (the start of line `line`), or undefined when it
 * cannot say: then the full parse decides. accel/ passes one; it must agree with the parse.
 */
export type HeadingReader = (text: string, offset: number, line: number) => Heading[] | undefined;

export interface FrontmatterSplit {
  /** The YAML text, as remark-frontmatter's `yaml` node holds it. */
  value: string;
  /** Offset just past the closing fence. */
  endOffset: number;
  /** Line of the closing fence. */
  endLine: number;
}

const FENCE_LINE = /^---[ \t]*$/;

/** remark-frontmatter's rule: line 1 is `---`, the YAML runs to the next `---` line (trailing blanks allowed). */
export function splitFrontmatter(text: string): FrontmatterSplit | undefined {
  const firstEnd = text.indexOf('\n');
  if (firstEnd < 0 || !FENCE_LINE.test(text.slice(0, firstEnd))) return undefined;
  const start = firstEnd + 1;
  let pos = start;
  for (let line = 2; ; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    if (FENCE_LINE.test(text.slice(pos, end))) return { value: text.slice(start, Math.max(start, pos - 1)), endOffset: end, endLine: line };
    if (nl < 0) return undefined;
    pos = nl + 1;
  }
}

export interface ParsedAdvisory {
  file: string;
  /** File name without `.md`: what the id must equal. */
  stem: string;
  data: unknown;
  /** The frontmatter's YAML text as written (comments included); it starts on line 2. */
  frontmatter: string;
  /** The file position of a frontmatter value (or its key); parses with positions on first use. */
  place(path: readonly (string | number)[], target?: 'value' | 'key'): Place;
  /** Markdown after the frontmatter. */
  body: string;
  bodyLine: number;
  headings: Heading[];
}

export function parseAdvisory(source: SourceFile, readHeadings?: HeadingReader): { parsed?: ParsedAdvisory; diagnostics: Diagnostic[] } {
  const { file, text } = source;
  const stem = file.split('/').pop()!.replace(/\.md$/, '');
  if (text.trim() === '') return { diagnostics: [diag('file-empty', file, START)] };

  const split = splitFrontmatter(text);
  if (!split) {
    const opens = /^---[ \t]*\n/.test(text);
    return { diagnostics: [diag(opens ? 'frontmatter-unclosed' : 'frontmatter-missing', file, START)] };
  }
  const lineOffset = 1; // the YAML starts on the line after the opening fence
  const lineCounter = new LineCounter();
  const doc = parseDocument(split.value, { lineCounter, uniqueKeys: true, prettyErrors: false });
  // The composer recurses per level: a value nested deep enough exhausts the stack (yaml says RESOURCE_EXHAUSTION).
  // That is a limit, not a syntax error: one yaml-limit at the field holding it, not wherever the stack gave out.
  const exhausted = doc.errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) return { diagnostics: [diag('yaml-limit', file, { line: fieldLine(split.value, exhausted.pos[0]) + lineOffset, column: 1 }, DEEP)] };
  const diagnostics: Diagnostic[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return diag('yaml-syntax', file, { line: pos.line + lineOffset, column: pos.col }, { reason: error.message.split('\n')[0] });
  });
  if (diagnostics.length > 0) return { diagnostics };
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    // yaml refuses alias expansion past its limit ("billion laughs"); a deep enough value can exhaust the stack.
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    const aliases = error instanceof ReferenceError;
    let place: Place = START;
    if (aliases) {
      visit(doc, {
        Alias(_, node) {
          if (!node.range) return undefined;
          const pos = lineCounter.linePos(node.range[0]);
          place = { line: pos.line + lineOffset, column: pos.col };
          return visit.BREAK;
        },
      });
    }
    return {
      diagnostics: [
        diag(
          'yaml-limit',
          file,
          place,
          aliases ? { what: 'repetitive', reason: 'its aliases (`*name`) expand to too many values', fix: 'Write each value out instead of repeating it through anchors (`&name`) and aliases (`*name`).' } : DEEP,
        ),
      ],
    };
  }
  const place: ParsedAdvisory['place'] = (path, target = 'value') => {
    return placeOfPath(doc, lineCounter, path, lineOffset, target);
  };

  // Before any parse of the body, whichever reads its headings: past this the parser's time runs away.
  const over = markdownOverLimit(text.slice(split.endOffset + 1));
  if (over) return { diagnostics: [diag('markdown-limit', file, { line: split.endLine + over.line, column: 1 }, over.params)] };
  const headings = readHeadings?.(text, split.endOffset + 1, split.endLine + 1) ?? headingsOf(markdownParser.parse(text));
  return {
    parsed: {
      file,
      stem,
      data,
      frontmatter: split.value,
      place,
      body: text.slice(split.endOffset).replace(/^\n+/, ''),
      bodyLine: split.endLine + 1,
      headings,
    },
    diagnostics: [],
  };
}

const DEEP = { what: 'deeply nested', reason: 'lists or maps are nested inside one another hundreds of levels deep', fix: 'Write the frontmatter as the flat fields of the README\'s reference.' };

/** The 1-based line (within the YAML) of the top-level field whose value holds `offset`. */
function fieldLine(yaml: string, offset: number): number {
  const lines = yaml.slice(0, offset).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (/^[^\s#-]/.test(lines[i]!)) return i + 1;
  return lines.length;
}

/** The top-level headings of a full parse: the reference the scanner must agree with. */
export function headingsOf(tree: Root): Heading[] {
  const headings: Heading[] = [];
  for (const node of tree.children) {
    if (node.type === 'heading') headings.push({ depth: node.depth, text: toString(node).trim(), line: node.position!.start.line });
  }
  return headings;
}
