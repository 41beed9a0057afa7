// Rejection sampling's choices: RM vote weights, the RM-weighted majority vote, and the top-k responses.
import { sigmoid } from './reward-model.mjs';

// Vote weights of one query's samples.
export function voteWeights(scores, vote) {
  if (vote === 'sigmoid') return scores.map(sigmoid);
  if (vote === 'raw') {
    const lo = Math.min(...scores);
    return scores.map((s) => s - lo + 1);
  }
  const hi = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - hi));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

// RM-weighted majority vote over final answers: {answer, margin} (margin = winner's share minus the
// runner-up's share of the total weight), or null when no sample has a final answer.
export function weightedVote(samples, vote) {
  const valid = samples.filter((s) => s.pred !== null);
  if (valid.length === 0) return null;
  const w = voteWeights(valid.map((s) => s.rm), vote);
  const tally = new Map();
  valid.forEach((s, i) => {
    const t = tally.get(s.pred) ?? { weight: 0, count: 0 };
    t.weight += w[i];
    t.count += 1;
    tally.set(s.pred, t);
  });
  // Deterministic order: weight, then count, then the answer string.
  const ranked = [...tally.entries()].sort((x, y) => y[1].weight - x[1].weight || y[1].count - x[1].count || (x[0] < y[0] ? -1 : 1));
  const total = ranked.reduce((s, [, t]) => s + t.weight, 0);
  const second = ranked[1]?.[1].weight ?? 0;
  return { answer: ranked[0][0], margin: total > 0 ? (ranked[0][1].weight - second) / total : 0 };
}

// The top-k distinct responses by rm among those whose answer is `answer` (ties broken by text).
export function topK(samples, answer, k) {
  const best = new Map();
  for (const s of samples) {
    if (s.pred !== answer) continue;
    if (!best.has(s.response) || best.get(s.response) < s.rm) best.set(s.response, s.rm);
  }
  return [...best.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, k).map(([response, rm]) => ({ response, rm }));
}
