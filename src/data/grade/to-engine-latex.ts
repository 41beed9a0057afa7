// Rewrites a stripped answer into LaTeX that @cortex-js/compute-engine 0.27 reads as intended: it rejects `\dfrac`
// and `\tfrac` and reads `1,000` as a tuple, so those are rewritten (docs/platform-notes).
export function toEngineLatex(s: string): string {
  return s
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/(\d),(\d{3})(?!\d)/g, '$1$2')
    .replace(/\\le\b/g, '\\leq')
    .replace(/\\ge\b/g, '\\geq')
    .replace(/\\ne\b/g, '\\neq')
    .replace(/\*\*/g, '^')
    .replace(/\*/g, '\\cdot ')
    .replace(/\\cdot\s*\\cdot/g, '\\cdot');
}
