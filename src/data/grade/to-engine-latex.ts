// Rewrites a stripped answer into LaTeX that @cortex-js/compute-engine 0.27 reads as intended: it rejects `\dfrac`
// and `\tfrac` and reads `1,000` as a tuple, so those are rewritten (test/data/grade/ checks each case).
export function toEngineLatex(s: string): string {
  return s
    .replace(/\\binom\{(\d+)\}\{(\d+)\}/g, (_, n: string, k: string) => String(binomial(Number(n), Number(k))))
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/(\d),(\d{3})(?!\d)/g, '$1$2')
    .replace(/\\le\b/g, '\\leq')
    .replace(/\\ge\b/g, '\\geq')
    .replace(/\\ne\b/g, '\\neq')
    .replace(/\*\*/g, '^')
    .replace(/\*/g, '\\cdot ')
    .replace(/\\cdot\s*\\cdot/g, '\\cdot');
}

// n choose k for the small integers answers hold (the engine has no \binom).
function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let value = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) value = (value * (n - i + 1)) / i;
  return Math.round(value);
}
