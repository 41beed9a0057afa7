import { voteWeights, type Weighting } from './vote-weights.ts';

export interface VoteResult {
  // The winning answer class.
  cluster: number;
  // The winner's share of the total weight minus the runner-up's (1 = unanimous).
  margin: number;
}

// An RM-weighted majority vote over answer classes (answerClusters); samples without an answer (-1) do not vote.
// `weighting` null is the plain majority vote (one vote per sample). Ties go to the class with more samples, then the
// class seen first, so the result is deterministic.
export function weightedVote(clusters: readonly number[], scores: readonly number[], weighting: Weighting | null): VoteResult | null {
  const voters: number[] = [];
  for (let i = 0; i < clusters.length; i++) if (clusters[i]! >= 0) voters.push(i);
  if (voters.length === 0) return null;
  const weights =
    weighting === null
      ? voters.map(() => 1)
      : voteWeights(
          voters.map((i) => scores[i]!),
          weighting,
        );
  const tally = new Map<number, { weight: number; count: number; first: number }>();
  voters.forEach((i, n) => {
    const c = clusters[i]!;
    const t = tally.get(c) ?? { weight: 0, count: 0, first: n };
    t.weight += weights[n]!;
    t.count += 1;
    tally.set(c, t);
  });
  const ranked = [...tally.entries()].sort((a, b) => b[1].weight - a[1].weight || b[1].count - a[1].count || a[1].first - b[1].first);
  const total = ranked.reduce((s, [, t]) => s + t.weight, 0);
  const second = ranked[1]?.[1].weight ?? 0;
  return { cluster: ranked[0]![0], margin: total > 0 ? (ranked[0]![1].weight - second) / total : 0 };
}
