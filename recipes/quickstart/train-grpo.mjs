#!/usr/bin/env node
// GRPO for the toy policy, from the final SFT policy with the final reward model. Each step samples a group
// of --group responses per filtered query from the current policy, rewards each with the shaped reward
// σ(α·rm) + (correct − 1), turns rewards into group-relative advantages, and takes one policy-gradient step
// on the logits of each problem kind. Writes the RL policy in the SFT policy's format, and each step's mean reward
// and accuracy to $LOOP_CURVES.
import { readFileSync } from 'node:fs';
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJson, writeMetrics, round, openCurves } from './lib/jsonl.mjs';
import { rngFor, drawIndex } from './lib/random.mjs';
import { kindOf, parseQuestion } from './lib/problems.mjs';
import { PROCEDURES, renderResponse } from './lib/procedures.mjs';
import { extractAnswer } from './lib/responses.mjs';
import { rmScore } from './lib/reward-model.mjs';
import { groupAdvantages, groupGradient, klDivergence, shapedReward, softmax, toLogits } from './lib/grpo.mjs';

const USAGE = 'train-grpo.mjs --policy FILE --rm FILE --queries FILE --group N --steps N --lr X --alpha X --seed S --out FILE';

runMain('train-grpo.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, {
    policy: {}, rm: {}, queries: {}, group: { type: 'int', min: 2 }, steps: { type: 'int', min: 1 },
    lr: { type: 'number' }, alpha: { type: 'number', default: 0.5 }, seed: { type: 'int' }, out: {},
  });
  const start = JSON.parse(readFileSync(requireFile('policy', args.policy), 'utf8'));
  const rm = JSON.parse(readFileSync(requireFile('rm', args.rm), 'utf8'));
  const queries = readJsonl(requireFile('queries', args.queries)).map((q) => {
    const p = parseQuestion(q.question ?? '');
    if (!p) throw new Error(`query ${q.id}: question not understood: ${JSON.stringify(q.question)}`);
    if (q.answer === undefined) throw new Error(`RL query ${q.id} has no reference answer`);
    return { id: q.id, p, kind: kindOf(p), answer: extractAnswer(`The answer is ${q.answer}`) };
  });
  const logits = Object.fromEntries(Object.entries(start.kinds).map(([k, dist]) => [k, toLogits(dist)]));
  const scores = new Map(); // the RM scores each distinct response text once
  const scoreOf = (text) => (scores.has(text) ? scores.get(text) : (scores.set(text, rmScore(rm, text)), scores.get(text)));
  const history = [];
  for (let step = 0; step < args.steps; step += 1) {
    const grads = {};
    let rewardSum = 0;
    let correctSum = 0;
    for (const q of queries) {
      const dist = softmax(logits[q.kind]);
      const procsOf = PROCEDURES[q.p.op];
      const rng = rngFor(args.seed, 'grpo', step, q.id);
      const procs = Array.from({ length: args.group }, () => procsOf[drawIndex(rng, procsOf.map((x) => dist[x]))]);
      const rewards = procs.map((proc) => {
        const text = renderResponse(q.p, proc);
        const correct = extractAnswer(text) === q.answer;
        correctSum += correct ? 1 : 0;
        return shapedReward(scoreOf(text), correct, args.alpha);
      });
      rewardSum += rewards.reduce((s, r) => s + r, 0);
      const g = groupGradient(dist, procs, groupAdvantages(rewards));
      grads[q.kind] ??= { n: 0, sum: Object.fromEntries(Object.keys(dist).map((x) => [x, 0])) };
      grads[q.kind].n += 1;
      for (const [x, v] of Object.entries(g)) grads[q.kind].sum[x] += v;
    }
    // Each kind moves by the mean gradient of its queries' groups: kinds are the policy's parameters.
    for (const [kind, { n, sum }] of Object.entries(grads)) {
      for (const [x, v] of Object.entries(sum)) logits[kind][x] += (args.lr * v) / n;
    }
    const samples = queries.length * args.group;
    history.push({ reward: samples ? rewardSum / samples : 0, accuracy: samples ? correctSum / samples : 0 });
  }
  // The training curve: mean shaped reward and accuracy of each step's samples ($LOOP_CURVES).
  const curves = openCurves(args.out);
  history.forEach((h, step) => curves.write({ step: step + 1, reward: round(h.reward), accuracy: round(h.accuracy) }));
  curves.close();
  const kinds = Object.fromEntries(Object.entries(logits).map(([k, z]) => [k, softmax(z)]));
  const moved = Object.keys(kinds).filter((k) => klDivergence(kinds[k], start.kinds[k]) > 1e-9);
  const kl = moved.length ? moved.reduce((s, k) => s + klDivergence(kinds[k], start.kinds[k]), 0) / moved.length : 0;
  writeJson(args.out, { ...start, kinds, rl: { algorithm: 'grpo', steps: args.steps, group: args.group, lr: args.lr, alpha: args.alpha } });
  const first = history[0] ?? { reward: 0, accuracy: 0 };
  const last = history.at(-1) ?? first;
  writeMetrics(args.out, {
    queries: queries.length,
    steps: args.steps,
    reward_first: round(first.reward),
    reward_last: round(last.reward),
    train_accuracy_first: round(first.accuracy),
    train_accuracy_last: round(last.accuracy),
    kinds_updated: moved.length,
    kl_to_sft: round(kl),
  });
  console.log(`train-grpo: ${queries.length} queries x ${args.group}, ${args.steps} steps: reward ${first.reward.toFixed(3)} -> ${last.reward.toFixed(3)}, ` +
    `accuracy ${first.accuracy.toFixed(3)} -> ${last.accuracy.toFixed(3)}`);
});
