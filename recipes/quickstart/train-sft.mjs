#!/usr/bin/env node
// "Supervised fine-tuning" of the toy policy: reads SFT data {id, question, response}, works out from
// each response's text which procedure its steps follow, and fits, for every problem kind, a
// categorical distribution over procedures by counting, smoothed towards the operation's distribution,
// which is smoothed towards the procedure families' distribution across operations, then uniform.
// Its training curve: the data's loss under the policy fitted on the first `examples` of it, one step per
// batch of CURVE_BATCH examples (counting needs no passes, so "steps" are growing shares of the data).
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJson, writeMetrics, round, openCurves } from './lib/jsonl.mjs';
import { kindOf, parseQuestion } from './lib/problems.mjs';
import { CORRECT_PROCEDURES } from './lib/procedures.mjs';
import { parseProcedure } from './lib/responses.mjs';
import { fitPolicy, policyLoss } from './lib/policy.mjs';

const USAGE = 'train-sft.mjs --data FILE --out FILE';
const CURVE_BATCH = 16;

runMain('train-sft.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, { data: {}, out: {} });
  const rows = readJsonl(requireFile('data', args.data));
  const examples = [];
  let unparsed = 0;
  for (const row of rows) {
    const p = parseQuestion(row.question ?? '');
    const proc = p ? parseProcedure(row.response, p.op) : null;
    if (!proc) {
      unparsed += 1;
      continue;
    }
    examples.push({ k: kindOf(p), proc });
  }
  const curves = openCurves(args.out);
  const steps = Math.ceil(examples.length / CURVE_BATCH);
  for (let step = 1; step < steps; step += 1) {
    const seen = examples.slice(0, step * CURVE_BATCH);
    curves.write({ step, examples: seen.length, loss: round(policyLoss(fitPolicy(seen), examples)) });
  }
  const policy = fitPolicy(examples);
  const loss = policyLoss(policy, examples);
  const correctShare = examples.length ? examples.filter((e) => CORRECT_PROCEDURES.has(e.proc)).length / examples.length : 0;
  curves.write({ step: Math.max(steps, 1), examples: examples.length, loss: round(loss) });
  curves.close();
  writeJson(args.out, policy);
  writeMetrics(args.out, {
    examples: rows.length,
    parsed: examples.length,
    unparsed,
    loss: round(loss),
    correct_procedure_share: round(correctShare),
  });
  console.log(`train-sft: ${rows.length} examples (${unparsed} unparsed), loss ${loss.toFixed(4)}`);
  console.log(`train-sft: correct procedures in the data: ${(100 * correctShare).toFixed(1)}%`);
});
