import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface Located {
  /** Source offset, 0-based. */
  offset: number;
  line: number;
  col: number;
  /** The deepest path prefix that exists in the document. */
  found: PathSegment[];
}

// Finds where a key path lives in the YAML source: the key itself when `atKey`, else its value; a missing key points at its parent.
export function locate(doc: Document, counter: LineCounter, path: PathSegment[], atKey = false): Located {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  const found: PathSegment[] = [];
  let parentKey: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(segment));
      if (!pair) break;
      found.push(segment);
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      offset = (found.length === path.length && atKey ? keyStart : (valueStart ?? keyStart)) ?? offset;
      parentKey = keyStart;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      found.push(segment);
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  // A missing key is reported at the key of the mapping that should hold it.
  if (found.length < path.length && parentKey !== undefined) offset = parentKey;
  const pos = counter.linePos(offset);
  return { offset, line: pos.line, col: pos.col, found };
}

// The source offset where a YAML node starts, if it came from the source.
export function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

function keyOf(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
