import type { SampleRecord } from '../samples/collect-samples.ts';
import type { Weighting } from '../vote/vote-weights.ts';
import { answerClusters } from '../vote/answer-clusters.ts';
import { weightedVote } from '../vote/weighted-vote.ts';
import { distinctResponses, topKDistinct } from './top-k-distinct.ts';

export interface Choice {
  kept: SampleRecord[];
  // For unlabeled queries: the vote's margin (null when no sample had an answer).
  margin?: number | null;
  // For unlabeled queries: the answer the vote picked (one form of its class), null when no sample had an answer.
  answer?: string | null;
}

// Rejection sampling for one query. Labeled: the top-k correct responses by rm. Unlabeled: an RM-weighted majority
// vote over equivalent answers picks the answer, then the top-k responses reaching it by rm. Identical responses are
// kept once; in the vote every sample counts (how often the policy reaches an answer is the vote's signal) unless
// `voteDistinct` is set.
export function chooseResponses(
  records: readonly SampleRecord[],
  labeled: boolean,
  k: number,
  weighting: Weighting,
  voteDistinct: boolean,
): Choice {
  if (labeled)
    return {
      kept: topKDistinct(
        records.filter((r) => r.correct === true),
        k,
      ),
    };
  const voters = voteDistinct ? distinctResponses(records) : records;
  const clusters = answerClusters(voters.map((r) => r.pred));
  const vote = weightedVote(
    clusters,
    voters.map((r) => r.rm),
    weighting,
  );
  if (!vote) return { kept: [], margin: null, answer: null };
  // Responses whose answer is in the winning class (over all records, voters or not).
  const winners = new Set(voters.filter((_, i) => clusters[i] === vote.cluster).map((r) => r.pred));
  const reaching = records.filter((r) => r.pred !== null && winners.has(r.pred));
  return { kept: topKDistinct(reaching, k), margin: vote.margin, answer: reaching[0]?.pred ?? null };
}
