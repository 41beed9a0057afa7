#!/usr/bin/env node
// Held-out evaluation: samples one response per query from the policy (seeded), grades it against the
// reference answer, writes the predictions and reports accuracy. expected_accuracy is the policy's exact
// probability of a correct answer, averaged over the queries (no sampling noise), for diagnostics.
import { readFileSync } from 'node:fs';
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJsonl, writeMetrics, round } from './lib/jsonl.mjs';
import { rngFor } from './lib/random.mjs';
import { OPS, parseQuestion, kindOf } from './lib/problems.mjs';
import { PROCEDURES, procedureAnswer, renderResponse } from './lib/procedures.mjs';
import { extractAnswer } from './lib/responses.mjs';
import { policyDist, sampleProcedure } from './lib/policy.mjs';

const USAGE = 'eval.mjs --model FILE --queries FILE --seed S --out FILE';

runMain('eval.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, { model: {}, queries: {}, seed: { type: 'int' }, out: {} });
  const policy = JSON.parse(readFileSync(requireFile('model', args.model), 'utf8'));
  const queries = readJsonl(requireFile('queries', args.queries));
  const rows = [];
  let expected = 0;
  const perOp = Object.fromEntries(OPS.map((op) => [op, { n: 0, correct: 0 }]));
  for (const q of queries) {
    const p = parseQuestion(q.question ?? '');
    if (!p) throw new Error(`query ${q.id}: question not understood: ${JSON.stringify(q.question)}`);
    if (q.answer === undefined) throw new Error(`eval query ${q.id} has no answer`);
    const ref = extractAnswer(`The answer is ${q.answer}`) ?? String(q.answer);
    const response = renderResponse(p, sampleProcedure(policy, p, rngFor(args.seed, 'eval', q.id)));
    const pred = extractAnswer(response);
    const correct = pred === ref;
    rows.push({ id: q.id, response, pred, answer: ref, correct });
    perOp[p.op].n += 1;
    if (correct) perOp[p.op].correct += 1;
    const dist = policyDist(policy, kindOf(p));
    for (const proc of PROCEDURES[p.op]) if (String(procedureAnswer(p, proc)) === ref) expected += dist[proc] ?? 0;
  }
  const correct = rows.filter((r) => r.correct).length;
  const accuracy = rows.length ? correct / rows.length : 0;
  writeJsonl(args.out, rows);
  const metrics = { accuracy: round(accuracy), responses: rows.length, expected_accuracy: round(rows.length ? expected / rows.length : 0) };
  for (const op of OPS) if (perOp[op].n) metrics[`accuracy_${op}`] = round(perOp[op].correct / perOp[op].n);
  writeMetrics(args.out, metrics);
  console.log(`eval: ${correct}/${rows.length} correct, accuracy ${accuracy.toFixed(4)} (expected ${metrics.expected_accuracy.toFixed(4)})`);
});
