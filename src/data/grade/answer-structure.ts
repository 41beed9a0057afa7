import { splitTopLevel } from './split-top-level.ts';

// A stripped answer read as a collection: a tuple or interval "(1,2]", a set "{1,2}", a bare list "1,2", a matrix.
export interface AnswerList {
  kind: 'bracketed' | 'set' | 'bare' | 'matrix';
  open: string;
  close: string;
  items: string[];
  // For matrices: cells per row, so shapes can be compared.
  rows?: number;
}

const MATRIX = /^\\begin\{pmatrix\}(.*)\\end\{pmatrix\}$/;

// Reads a stripped answer as a list of two or more items (or a matrix); null for a single value.
export function answerStructure(s: string): AnswerList | null {
  const matrix = MATRIX.exec(s);
  if (matrix) {
    const rows = matrix[1]!.split('\\\\').filter((row) => row !== '');
    const items = rows.flatMap((row) => row.split('&'));
    return { kind: 'matrix', open: '', close: '', items, rows: rows.length };
  }
  const first = s[0];
  const last = s[s.length - 1];
  if ((first === '(' || first === '[') && (last === ')' || last === ']') && enclosesAll(s)) {
    const items = splitTopLevel(s.slice(1, -1), ',');
    if (items.length >= 2) return { kind: 'bracketed', open: first, close: last, items };
  }
  if (first === '{' && last === '}' && enclosesAll(s)) {
    const items = splitTopLevel(s.slice(1, -1), ',');
    if (items.length >= 2) return { kind: 'set', open: '{', close: '}', items };
  }
  const items = splitTopLevel(s, ',');
  if (items.length >= 2) return { kind: 'bare', open: '', close: '', items };
  return null;
}

// Whether the first bracket closes only at the end: "(1,2)" yes, "(1)+(2)" no.
function enclosesAll(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return true;
}
