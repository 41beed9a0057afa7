#!/usr/bin/env node
// Filters RL queries by difficulty (the method's rule): of the N graded responses sampled per query with the
// final SFT model, keep a query only when between --min and --max are correct (2 to 5 of 8): all-right queries
// teach nothing, all-wrong ones give GRPO no contrast.
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJsonl, writeMetrics, round } from './lib/jsonl.mjs';

const USAGE = 'rl-filter.mjs --queries FILE --graded FILE --min K --max K --out FILE';

runMain('rl-filter.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, { queries: {}, graded: {}, min: { type: 'int', min: 0 }, max: { type: 'int', min: 0 }, out: {} });
  if (args.min > args.max) throw new Error(`--min ${args.min} is more than --max ${args.max}`);
  const correct = new Map();
  for (const row of readJsonl(requireFile('graded', args.graded))) {
    if (typeof row.correct !== 'boolean') throw new Error(`graded row for ${row.id} has no boolean "correct": run grade.mjs first`);
    correct.set(row.id, (correct.get(row.id) ?? 0) + (row.correct ? 1 : 0));
  }
  const queries = readJsonl(requireFile('queries', args.queries)).filter((q) => correct.has(q.id));
  const kept = queries.filter((q) => correct.get(q.id) >= args.min && correct.get(q.id) <= args.max);
  const tooEasy = queries.filter((q) => correct.get(q.id) > args.max).length;
  writeJsonl(args.out, kept.map((q) => ({ ...q, sft_correct: correct.get(q.id) })));
  writeMetrics(args.out, {
    queries: queries.length,
    kept: kept.length,
    kept_share: round(queries.length ? kept.length / queries.length : 0),
    too_easy: tooEasy,
    too_hard: queries.length - kept.length - tooEasy,
  });
  console.log(`rl-filter: kept ${kept.length}/${queries.length} queries with ${args.min}-${args.max} correct (${tooEasy} too easy)`);
});
