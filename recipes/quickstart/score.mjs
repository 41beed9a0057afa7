#!/usr/bin/env node
// Scores sampled responses with the reward model: adds "rm", the model's logit.
import { readFileSync } from 'node:fs';
import { parseArgs, requireFile, runMain } from './lib/cli.mjs';
import { readJsonl, writeJsonl, writeMetrics, round } from './lib/jsonl.mjs';
import { rmScore } from './lib/reward-model.mjs';

const USAGE = 'score.mjs --rm FILE --samples FILE --out FILE';

runMain('score.mjs', USAGE, (argv) => {
  const args = parseArgs(argv, { rm: {}, samples: {}, out: {} });
  const rm = JSON.parse(readFileSync(requireFile('rm', args.rm), 'utf8'));
  const cache = new Map(); // sampled responses repeat: score each distinct text once
  const scoreOf = (text) => {
    if (!cache.has(text)) cache.set(text, round(rmScore(rm, text), 6));
    return cache.get(text);
  };
  const scored = readJsonl(requireFile('samples', args.samples)).map((r) => ({ ...r, rm: scoreOf(r.response) }));
  const mean = scored.length ? scored.reduce((s, r) => s + r.rm, 0) / scored.length : 0;
  writeJsonl(args.out, scored);
  writeMetrics(args.out, { responses: scored.length, mean_rm: round(mean) });
  console.log(`score: ${scored.length} responses, mean rm ${mean.toFixed(3)}`);
});
