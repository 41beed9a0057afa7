// Limits on the work one symbolic comparison may ask of the engine, checked on the text before it is parsed, so a
// verdict never depends on how busy the machine is (a wall-clock budget would): past a limit the pair is judged not
// equal and counted as `bounded`. docs/data/grading.md §4.
export const WORK_BOUNDS = {
  // characters of one stripped answer
  chars: 400,
  // nesting of {}, () and [] (a deeply nested \frac)
  depth: 12,
  // the upper bound of a \sum or \prod, and n in n!
  iterations: 1000,
  // an integer exponent (2^{100000} is a 30,000-digit number)
  exponent: 1000,
  // unknowns: each adds evaluation work at every sample point
  unknowns: 6,
} as const;

// Why an answer is beyond the bounds, or null when the engine may take it.
export function beyondWorkBounds(s: string): string | null {
  if (s.length > WORK_BOUNDS.chars) return `longer than ${WORK_BOUNDS.chars} characters`;
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123 || c === 40 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 41 || c === 93) depth -= 1;
  }
  if (deepest > WORK_BOUNDS.depth) return `nested deeper than ${WORK_BOUNDS.depth}`;
  for (const m of s.matchAll(/\\(?:sum|prod)\s*(?:_\{[^{}]*\}|_\S)?\s*\^\s*\{?\s*(\d+)/g)) {
    if (Number(m[1]) > WORK_BOUNDS.iterations) return `a sum or product of more than ${WORK_BOUNDS.iterations} terms`;
  }
  for (const m of s.matchAll(/(\d+)\s*!/g)) if (Number(m[1]) > WORK_BOUNDS.iterations) return `a factorial past ${WORK_BOUNDS.iterations}!`;
  for (const m of s.matchAll(/\^\s*\{?\s*(\d+)/g))
    if (Number(m[1]) > WORK_BOUNDS.exponent) return `an exponent past ${WORK_BOUNDS.exponent}`;
  return null;
}
