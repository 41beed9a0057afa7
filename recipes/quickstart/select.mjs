#!/usr/bin/env node
// Rejection sampling, as in the method: builds the next SFT data from scored samples.
//  - labeled queries: among the responses whose final answer equals the reference, the top-k by rm;
//  - unlabeled queries: an RM-weighted majority vote over the final answers picks an answer; among the
//    responses that reach it, the top-k by rm.
// Identical responses count once when keeping (the vote itself counts every sample: how often the
// policy reaches an answer is the signal majority voting relies on).
// Vote weights (--vote): raw = rm − (lowest rm among the query's samples) + 1, so every sample keeps one
// vote and better-scored ones weigh more; sigmoid = σ(rm); softmax = exp(rm) normalized within the query.
// The votes go to votes.jsonl beside the output, {id, answer, margin} per unlabeled query (`loop diff` compares them).
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJsonl, writeMetrics, round } from './lib/jsonl.mjs';
import { extractAnswer } from './lib/responses.mjs';
import { weightedVote, topK } from './lib/selection.mjs';

const USAGE = 'select.mjs --labeled FILE --unlabeled FILE --samples FILE --top-k K --vote raw|sigmoid|softmax --out FILE';

runMain('select.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, {
    labeled: {}, unlabeled: {}, samples: {}, 'top-k': { type: 'int', min: 1 },
    vote: { type: 'choice', choices: ['raw', 'sigmoid', 'softmax'] }, out: {},
  });
  const labeled = readJsonl(requireFile('labeled', args.labeled));
  const unlabeled = readJsonl(requireFile('unlabeled', args.unlabeled));
  const byId = new Map();
  for (const s of readJsonl(requireFile('samples', args.samples))) {
    if (typeof s.rm !== 'number') throw new Error(`sample for ${s.id} has no rm score: run score.mjs first`);
    if (!byId.has(s.id)) byId.set(s.id, []);
    byId.get(s.id).push({ response: s.response, rm: s.rm, pred: extractAnswer(s.response) });
  }
  const k = args['top-k'];
  const out = [];
  let labeledKept = 0;
  let labeledQueries = 0;
  for (const q of labeled) {
    if (q.answer === undefined) throw new Error(`labeled query ${q.id} has no answer`);
    const ref = extractAnswer(`The answer is ${q.answer}`) ?? String(q.answer);
    const kept = topK(byId.get(q.id) ?? [], ref, k);
    if (kept.length) labeledQueries += 1;
    labeledKept += kept.length;
    for (const { response } of kept) out.push({ id: q.id, question: q.question, response });
  }

  // Diagnostics: unlabeled-answers.jsonl beside unlabeled.jsonl, if present, measures the vote.
  const diagPath = join(dirname(args.unlabeled), basename(args.unlabeled, '.jsonl') + '-answers.jsonl');
  const truth = existsSync(diagPath) ? new Map(readJsonl(diagPath).map((r) => [r.id, String(r.answer)])) : null;
  let unlabeledKept = 0;
  let unlabeledQueries = 0;
  let marginSum = 0;
  let voted = 0;
  let voteHits = 0;
  const votes = [];
  for (const q of unlabeled) {
    const samples = byId.get(q.id) ?? [];
    const result = weightedVote(samples, args.vote);
    if (truth && result && truth.get(q.id) === result.answer) voteHits += 1;
    if (!result) continue;
    voted += 1;
    marginSum += result.margin;
    votes.push({ id: q.id, answer: result.answer, margin: round(result.margin) });
    const kept = topK(samples, result.answer, k);
    if (kept.length) unlabeledQueries += 1;
    unlabeledKept += kept.length;
    for (const { response } of kept) out.push({ id: q.id, question: q.question, response });
  }

  writeJsonl(args.out, out);
  writeJsonl(join(dirname(args.out), 'votes.jsonl'), votes);
  const metrics = {
    kept: out.length,
    queries_kept: labeledQueries + unlabeledQueries,
    labeled_kept: labeledKept,
    unlabeled_kept: unlabeledKept,
    labeled_queries_kept: labeledQueries,
    unlabeled_queries_kept: unlabeledQueries,
    vote_margin: round(voted ? marginSum / voted : 0),
  };
  if (truth) metrics.vote_accuracy = round(unlabeled.length ? voteHits / unlabeled.length : 0);
  writeMetrics(args.out, metrics);
  console.log(`select: labeled: ${labeledKept} responses from ${labeledQueries}/${labeled.length} queries`);
  console.log(`select: unlabeled (${args.vote} vote): ${unlabeledKept} responses from ${unlabeledQueries}/${unlabeled.length} queries` +
    (truth ? `, vote accuracy ${(100 * metrics.vote_accuracy).toFixed(1)}%` : ''));
});
