#!/usr/bin/env node
// Labels sampled responses by rule: the final answer ("The answer is N.") equals the reference or not.
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJsonl, writeMetrics, round } from './lib/jsonl.mjs';
import { extractAnswer } from './lib/responses.mjs';

const USAGE = 'grade.mjs --queries FILE --samples FILE --out FILE';

// Grades rows {id, response, ...} against reference answers by id; adds pred and correct.
export function gradeRows(rows, answers) {
  return rows.map((r) => {
    const pred = extractAnswer(r.response);
    const ref = answers.get(r.id);
    if (ref === undefined) throw new Error(`sample for unknown query ${r.id}`);
    return { ...r, pred, correct: pred !== null && pred === String(ref) };
  });
}

runMain('grade.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, { queries: {}, samples: {}, out: {} });
  const answers = new Map();
  for (const q of readJsonl(requireFile('queries', args.queries))) {
    if (q.answer === undefined) throw new Error(`query ${q.id} has no reference answer`);
    answers.set(q.id, extractAnswer(`The answer is ${q.answer}`) ?? String(q.answer));
  }
  const graded = gradeRows(readJsonl(requireFile('samples', args.samples)), answers);
  const correct = graded.filter((r) => r.correct).length;
  const accuracy = graded.length ? correct / graded.length : 0;
  writeJsonl(args.out, graded);
  writeMetrics(args.out, { accuracy: round(accuracy), responses: graded.length, correct });
  console.log(`grade: ${correct}/${graded.length} correct (${(100 * accuracy).toFixed(1)}%)`);
});
