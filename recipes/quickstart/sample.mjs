#!/usr/bin/env node
// Samples N responses per query from the toy policy: for each response a procedure is drawn from the
// policy's distribution for the question's kind (temperature 1) and the worked solution is written out.
import { readFileSync } from 'node:fs';
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJsonl, writeMetrics } from './lib/jsonl.mjs';
import { rngFor } from './lib/random.mjs';
import { parseQuestion } from './lib/problems.mjs';
import { renderResponse } from './lib/procedures.mjs';
import { sampleProcedure } from './lib/policy.mjs';

const USAGE = 'sample.mjs --model FILE --queries FILE [--queries FILE...] --n N --seed S --out FILE';

runMain('sample.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, {
    model: {}, queries: { repeat: true }, n: { type: 'int', min: 1 }, seed: { type: 'int' }, out: {},
  });
  const policy = JSON.parse(readFileSync(requireFile('model', args.model), 'utf8'));
  const rows = [];
  let queries = 0;
  for (const file of args.queries) {
    for (const q of readJsonl(requireFile('queries', file))) {
      const p = parseQuestion(q.question ?? '');
      if (!p) throw new Error(`query ${q.id}: question not understood: ${JSON.stringify(q.question)}`);
      queries += 1;
      // One stream per query, so a query's samples do not depend on which other queries are in the file.
      const rng = rngFor(args.seed, 'sample', q.id);
      for (let i = 0; i < args.n; i += 1) rows.push({ id: q.id, response: renderResponse(p, sampleProcedure(policy, p, rng)) });
    }
  }
  writeJsonl(args.out, rows);
  writeMetrics(args.out, { responses: rows.length, queries });
  console.log(`sample: ${queries} queries x ${args.n} = ${rows.length} responses`);
});
