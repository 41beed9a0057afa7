import { fileSize } from '../jsonl/file-size.ts';
import { loadQueries } from '../queries/load-queries.ts';
import { collectSamples, type SampleRecord } from '../samples/collect-samples.ts';
import { answerClusters } from './answer-clusters.ts';
import { weightedVote } from './weighted-vote.ts';
import { WEIGHTINGS, type Weighting } from './vote-weights.ts';

export interface VoteOptions {
  queries: string[];
  samples: string;
  // Use only each query's first k samples (file order); undefined: all of them.
  k?: number;
  skipBad?: boolean;
  budgetMs?: number;
  workers?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface VoteReport {
  // Labeled queries with at least one sample (the denominators), and the unlabeled ones skipped.
  queries: number;
  unlabeledSkipped: number;
  labeledWithoutSamples: number;
  samples: number;
  // Samples per query used: the smallest, the largest and the mean.
  k: { min: number; max: number; mean: number };
  // Mean accuracy of single samples (pass@1 estimated from all k).
  meanAccuracy: number;
  // Some sample of the query is correct.
  passAtK: number;
  // The plain majority vote's answer is correct.
  majAtK: number;
  // The sample with the highest rm is correct (best-of-k); null when samples lack rm.
  rmAtK: number | null;
  // The RM-weighted majority vote's answer is correct, per weighting; null when samples lack rm.
  rmVote: Record<Weighting, number> | null;
  missingRm: number;
  bad: number;
}

// `loop data vote`: maj@k, rm@k (best-of-k by rm) and RM-weighted-vote accuracy over labeled queries.
export async function voteFiles(options: VoteOptions): Promise<VoteReport> {
  const queries = await loadQueries(options.queries, { skipBad: options.skipBad });
  const total = fileSize(options.samples);
  const { groups, stats } = await collectSamples({
    samples: options.samples,
    queries,
    queryFiles: options.queries,
    skipBad: options.skipBad,
    hashResponses: false,
    requireRm: false,
    budgetMs: options.budgetMs ?? 30_000,
    workers: options.workers ?? 2,
    onProgress: (bytes) => options.onProgress?.(bytes, total),
  });
  let n = 0;
  let unlabeled = 0;
  let empty = 0;
  let used = 0;
  let kMin = Infinity;
  let kMax = 0;
  let mean = 0;
  let pass = 0;
  let maj = 0;
  let best = 0;
  const weighted: Record<Weighting, number> = { raw: 0, sigmoid: 0, softmax: 0 };
  let rmComplete = true;
  for (const [id, query] of queries) {
    if (query.answer === undefined) {
      unlabeled += 1;
      continue;
    }
    const all = groups.get(id) ?? [];
    const records = options.k === undefined ? all : all.slice(0, options.k);
    if (records.length === 0) {
      empty += 1;
      continue;
    }
    n += 1;
    used += records.length;
    kMin = Math.min(kMin, records.length);
    kMax = Math.max(kMax, records.length);
    mean += records.filter((r) => r.correct).length / records.length;
    if (records.some((r) => r.correct)) pass += 1;
    const clusters = answerClusters(records.map((r) => r.pred));
    const scores = records.map((r) => r.rm);
    if (winnerCorrect(records, clusters, weightedVote(clusters, scores, null))) maj += 1;
    if (scores.some(Number.isNaN)) {
      rmComplete = false;
      continue;
    }
    if (bestOf(records).correct) best += 1;
    for (const w of WEIGHTINGS) if (winnerCorrect(records, clusters, weightedVote(clusters, scores, w))) weighted[w] += 1;
  }
  const share = (x: number) => (n > 0 ? x / n : 0);
  return {
    queries: n,
    unlabeledSkipped: unlabeled,
    labeledWithoutSamples: empty,
    samples: used,
    k: { min: n > 0 ? kMin : 0, max: kMax, mean: share(used) },
    meanAccuracy: share(mean),
    passAtK: share(pass),
    majAtK: share(maj),
    rmAtK: rmComplete ? share(best) : null,
    rmVote: rmComplete ? { raw: share(weighted.raw), sigmoid: share(weighted.sigmoid), softmax: share(weighted.softmax) } : null,
    missingRm: stats.missingRm,
    bad: stats.bad,
  };
}

// Whether the vote's winning answer class is correct: a member sample judged correct (equivalent answers agree).
function winnerCorrect(records: readonly SampleRecord[], clusters: readonly number[], vote: { cluster: number } | null): boolean {
  if (!vote) return false;
  return records.some((r, i) => clusters[i] === vote.cluster && r.correct === true);
}

// The highest-rm sample (ties: the earliest).
function bestOf(records: readonly SampleRecord[]): SampleRecord {
  let top = records[0]!;
  for (const r of records) if (r.rm > top.rm) top = r;
  return top;
}
