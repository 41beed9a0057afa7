const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const FRAC = /^(-?)\\frac\{(-?\d+(?:\.\d+)?)\}\{(-?\d+(?:\.\d+)?)\}$/;
const MIXED = /^(-?)(\d+)\\frac\{(\d+)\}\{(\d+)\}$/;
const TIMES_TEN = /^(-?\d+(?:\.\d+)?)(?:\\times|\\cdot|\*)10\^\{?(-?\d+)\}?$/;

// The value of a stripped answer that is a plain number: a decimal, `\frac{a}{b}`, a mixed number `2\frac{1}{2}` (2.5,
// as MATH writes them), or `3\times10^{5}`. null for anything else (left to the symbolic check).
export function parseNumber(s: string): number | null {
  if (PLAIN.test(s)) return Number(s);
  let m = FRAC.exec(s);
  if (m) {
    const value = Number(m[2]) / Number(m[3]);
    return Number.isFinite(value) ? (m[1] ? -value : value) : null;
  }
  m = MIXED.exec(s);
  if (m) {
    const value = Number(m[2]) + Number(m[3]) / Number(m[4]);
    return Number.isFinite(value) ? (m[1] ? -value : value) : null;
  }
  m = TIMES_TEN.exec(s);
  if (m) return Number(m[1]) * 10 ** Number(m[2]);
  return null;
}

// Two numbers equal within a relative tolerance (1e-4, as the reference toolkit's math.isclose), exact at zero.
export function numbersClose(a: number, b: number, relative = 1e-4): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
}
