#!/usr/bin/env node
// Trains the toy reward model: logistic regression on binary text features of a response (word
// unigrams and bigrams, numbers reduced to their digit count), by full-batch gradient descent with
// L2 regularization, on graded samples {id, response, correct}. A seeded 20% of the queries is held out.
// Writes its training curve (train loss, held-out loss and accuracy every 5 epochs) to $LOOP_CURVES.
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJson, writeMetrics, round, openCurves } from './lib/jsonl.mjs';
import { trainRewardModel } from './lib/reward-model.mjs';

const USAGE = 'train-rm.mjs --data FILE --seed S --out FILE';

runMain('train-rm.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, { data: {}, seed: { type: 'int' }, out: {} });
  const rows = readJsonl(requireFile('data', args.data));
  if (rows.length === 0) throw new Error(`${args.data} is empty`);
  const curves = openCurves(args.out);
  const { rm, stats } = trainRewardModel(rows, args.seed, undefined, curves.write);
  curves.close();
  writeJson(args.out, rm);
  writeMetrics(args.out, {
    loss: round(stats.heldout.loss),
    accuracy: round(stats.heldout.accuracy),
    train_loss: round(stats.train.loss),
    examples: rows.length,
    train_examples: stats.trainExamples,
    heldout_examples: stats.heldoutExamples,
    positive_rate: round(rows.filter((r) => r.correct).length / rows.length),
    features: stats.features,
  });
  console.log(`train-rm: ${stats.trainExamples} train / ${stats.heldoutExamples} held-out responses, ${stats.features} features`);
  console.log(`train-rm: held-out loss ${stats.heldout.loss.toFixed(4)}, accuracy ${(100 * stats.heldout.accuracy).toFixed(1)}%`);
});
