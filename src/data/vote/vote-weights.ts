export type Weighting = 'raw' | 'sigmoid' | 'softmax';
export const WEIGHTINGS: readonly Weighting[] = ['raw', 'sigmoid', 'softmax'];

// The vote weight of each of one query's samples from its reward score: raw = rm − (the query's lowest rm) + 1, so
// every sample keeps at least one vote and better-scored ones weigh more (reward scores are logits and can be
// negative); sigmoid = σ(rm); softmax = exp(rm) normalized over the query's samples.
export function voteWeights(scores: readonly number[], weighting: Weighting): number[] {
  if (scores.length === 0) return [];
  if (weighting === 'sigmoid') return scores.map((s) => 1 / (1 + Math.exp(-s)));
  if (weighting === 'raw') {
    let lo = Infinity;
    for (const s of scores) lo = Math.min(lo, s);
    return scores.map((s) => s - lo + 1);
  }
  let hi = -Infinity;
  for (const s of scores) hi = Math.max(hi, s);
  const e = scores.map((s) => Math.exp(s - hi));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}
