// Maps a path inside a YAML document (as zod reports it) to the line and column of the node at fault.
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Place } from '../core/diagnostic.ts';

type Key = string | number;

function pairOf(map: Node, key: Key) {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
}

function childOf(node: Node, key: Key): Node | undefined {
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return isNode(item) ? item : undefined;
  }
  const pair = pairOf(node, key);
  return pair && isNode(pair.value) ? pair.value : undefined;
}

function placeOfRange(range: [number, number, number] | null | undefined, lc: LineCounter, lineOffset: number): Place | undefined {
  if (!range) return undefined;
  const start = lc.linePos(range[0]);
  const end = lc.linePos(range[1]);
  return { line: start.line + lineOffset, column: start.col, endLine: end.line + lineOffset, endColumn: end.col };
}

/**
 * The place of the value at `path`; `target: 'key'` gives the key's own place (for unknown keys).
 * Walks as deep as the document goes, so a missing field points at its parent.
 */
export function placeOfPath(
  doc: Document,
  lc: LineCounter,
  path: readonly Key[],
  lineOffset: number,
  target: 'value' | 'key' = 'value',
): Place {
  let node: Node | undefined = isNode(doc.contents) ? doc.contents : undefined;
  let best = placeOfRange(node?.range, lc, lineOffset) ?? { line: 1 + lineOffset, column: 1 };
  for (const [i, key] of path.entries()) {
    if (!node) break;
    const last = i === path.length - 1;
    if (last && target === 'key') {
      const pair = pairOf(node, key);
      if (pair && isNode(pair.key)) return placeOfRange(pair.key.range, lc, lineOffset) ?? best;
    }
    const child = childOf(node, key);
    if (!child) {
      // Point at the key if the value is empty (`severity:`), else at the parent.
      const pair = pairOf(node, key);
      if (pair && isNode(pair.key)) return placeOfRange(pair.key.range, lc, lineOffset) ?? best;
      break;
    }
    node = child;
    best = placeOfRange(node.range, lc, lineOffset) ?? best;
  }
  return best;
}
