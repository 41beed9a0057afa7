// A small LaTeX arithmetic reader that turns an answer into a real function of its unknowns, for the numeric
// comparison of symbolicEqual: the engine's parser costs ~10 ms an answer, this one microseconds. It reads numbers,
// single-letter unknowns (with subscripts), + − · × ÷ / ^ !, implicit products, (), {}, |…|, \frac, \sqrt[n]{},
// \pi, e, and the elementary functions; anything else (i, sets, \infty, matrices, relations) gives null and the
// engine decides. Work is linear in the text: no evaluation can loop.
export type RealFn = (vars: Record<string, number>) => number;

type Node = (v: Record<string, number>) => number;

const FUNCS: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  sec: (x) => 1 / Math.cos(x),
  csc: (x) => 1 / Math.sin(x),
  cot: (x) => 1 / Math.tan(x),
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  ln: Math.log,
  log: Math.log10,
  exp: Math.exp,
  lg: Math.log10,
};

const TOKEN = /\s*(\d+\.?\d*|\.\d+|\\[A-Za-z]+|[A-Za-z](?:_\{[A-Za-z0-9]+\}|_[A-Za-z0-9])?|\*\*|[-+*/^(){}|!,[\]])/y;

// The answer as a function of its unknowns, and their names; null when the reader does not cover it.
export function compileReal(latex: string): { fn: RealFn; names: string[] } | null {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  const text = latex.replace(/\\left|\\right|\\,|\\!|\\;/g, ' ').trim();
  while (at < text.length) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return null;
    tokens.push(m[1]!);
    at = TOKEN.lastIndex;
    while (text[at] === ' ') at += 1;
  }
  if (tokens.length === 0 || tokens.length > 400) return null;
  const names = new Set<string>();
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];
  const fail = (): never => {
    throw new Error('unsupported');
  };
  const expect = (t: string) => (take() === t ? undefined : fail());

  function expr(): Node {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const right = term();
      const l = left;
      left = op === '+' ? (v) => l(v) + right(v) : (v) => l(v) - right(v);
    }
    return left;
  }
  function startsPrimary(t: string | undefined): boolean {
    if (t === undefined) return false;
    if (/^[\d.]/.test(t) || /^[A-Za-z]/.test(t) || t === '(' || t === '{') return true;
    return t.startsWith('\\') && !['\\cdot', '\\times', '\\div'].includes(t);
  }
  function term(): Node {
    let left = unary();
    for (;;) {
      const t = peek();
      if (t === '*' || t === '/' || t === '\\cdot' || t === '\\times' || t === '\\div') {
        take();
        const right = unary();
        const l = left;
        left = t === '/' || t === '\\div' ? (v) => l(v) / right(v) : (v) => l(v) * right(v);
      } else if (startsPrimary(t)) {
        const right = power();
        const l = left;
        left = (v) => l(v) * right(v);
      } else return left;
    }
  }
  function unary(): Node {
    if (peek() === '-') {
      take();
      const inner = unary();
      return (v) => -inner(v);
    }
    if (peek() === '+') {
      take();
      return unary();
    }
    return power();
  }
  function power(): Node {
    const base = postfix();
    if (peek() !== '^' && peek() !== '**') return base;
    take();
    let exponent: Node;
    const t = peek();
    if (t === '{') exponent = group();
    else if (t !== undefined && /^\d/.test(t)) {
      // x^23 is x^2·3 in LaTeX: one digit
      take();
      if (t.length > 1 && !t.includes('.')) tokens.splice(pos, 0, t.slice(1));
      const d = Number(t[0]);
      exponent = () => d;
    } else exponent = unary();
    return (v) => base(v) ** exponent(v);
  }
  function postfix(): Node {
    let node = primary();
    while (peek() === '!') {
      take();
      const inner = node;
      node = (v) => factorial(inner(v));
    }
    return node;
  }
  function group(): Node {
    const open = take();
    const inner = expr();
    expect(open === '(' ? ')' : open === '{' ? '}' : fail());
    return inner;
  }
  function primary(): Node {
    const t = peek();
    if (t === undefined) return fail();
    if (/^[\d.]/.test(t)) {
      take();
      const n = Number(t);
      return () => n;
    }
    if (t === '(' || t === '{') return group();
    if (t === '|') {
      take();
      const inner = expr();
      expect('|');
      return (v) => Math.abs(inner(v));
    }
    if (/^[A-Za-z]/.test(t)) {
      take();
      if (t === 'i' || t === 'I') return fail(); // complex: the engine
      if (t === 'e') return () => Math.E;
      names.add(t);
      return (v) => v[t]!;
    }
    take();
    const name = t.slice(1);
    if (name === 'pi') return () => Math.PI;
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const num = fracArgument();
      const den = fracArgument();
      return (v) => num(v) / den(v);
    }
    if (name === 'sqrt') {
      let index: Node | null = null;
      if (peek() === '[') {
        take();
        index = expr();
        expect(']');
      }
      const arg = peek() === '{' ? group() : primary();
      return index ? (v) => nthRoot(arg(v), index!(v)) : (v) => Math.sqrt(arg(v));
    }
    const f = FUNCS[name];
    if (f) {
      // \sin^2 x: the power applies to the value
      let exponent: Node | null = null;
      if (peek() === '^') {
        take();
        exponent = peek() === '{' ? group() : primary();
      }
      const arg = functionArgument();
      return exponent ? (v) => f(arg(v)) ** exponent!(v) : (v) => f(arg(v));
    }
    return fail();
  }
  // \frac{a}{b}, \frac12 (one digit each), \frac a b
  function fracArgument(): Node {
    const t = peek();
    if (t === '{') return group();
    if (t !== undefined && /^\d/.test(t)) {
      take();
      if (t.length > 1 && !t.includes('.')) tokens.splice(pos, 0, t.slice(1));
      const d = Number(t[0]);
      return () => d;
    }
    return primary();
  }
  // \sin(x+1), \sin{x}, \sin 2x (a product of non-function primaries, as the engine reads it)
  function functionArgument(): Node {
    if (peek() === '(' || peek() === '{') return power();
    let node = power();
    while (startsPrimary(peek()) && !(peek()!.startsWith('\\') && FUNCS[peek()!.slice(1)])) {
      const right = power();
      const l = node;
      node = (v) => l(v) * right(v);
    }
    return node;
  }

  try {
    const fn = expr();
    if (pos !== tokens.length) return null;
    return { fn, names: [...names].sort() };
  } catch {
    return null;
  }
}

function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 170) return NaN;
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function nthRoot(x: number, n: number): number {
  if (x < 0 && Number.isInteger(n) && n % 2 === 1) return -((-x) ** (1 / n));
  return x ** (1 / n);
}
