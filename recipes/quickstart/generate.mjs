#!/usr/bin/env node
// Writes the quickstart's data files: the noisy initial SFT data, the query pools and the held-out
// eval set. The committed files in data/ are this script's output with the default seed:
//   node recipes/quickstart/generate.mjs --seed 7 --out recipes/quickstart/data
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, runMain } from './lib/cli.mjs';
import { writeJsonl } from './lib/jsonl.mjs';
import { rngFor, shuffle, randInt } from './lib/random.mjs';
import { KINDS, parseKind, generateProblem, questionText, templateCount, solve } from './lib/problems.mjs';
import { PROCEDURES, renderResponse } from './lib/procedures.mjs';

const USAGE = 'generate.mjs [--seed N] --out DIR';

// How many problems of each kind each file holds. Carry/borrow problems are three times as common as
// carry-free ones: they are where the buggy procedures fail.
export const PER_KIND = { carry: 1, plain: 1 / 3 };
export const SIZES = { sft: 42, rm_queries: 20, labeled: 30, unlabeled: 60, eval: 90, rl_queries: 30 }; // per carry kind

// The initial SFT data comes from a weak annotator: it writes a correct procedure for most additions
// (fewer when there are carries or three digits) and never for a subtraction or a multiplication.
// Shares are exact quotas per kind (rounded), so the seed data's make-up does not depend on the seed.
// Within the correct share, column:split is 60:40; within the buggy share, nocarry:round is 60:40.
export const CORRECT_SHARE = {
  add2n: 0.7, add2c: 0.6, add3n: 0.6, add3c: 0.5,
  sub2n: 0, sub2c: 0, sub3n: 0, sub3c: 0,
  mul2n: 0, mul2c: 0, mul3n: 0, mul3c: 0,
};

// The annotator's procedures for n problems of one kind, in a seeded random order.
function annotatorProcedures(rng, kind, n) {
  const [column, split, nocarry, roundProc] = PROCEDURES[parseKind(kind).op];
  const correct = Math.round(CORRECT_SHARE[kind] * n);
  const nColumn = Math.round(0.6 * correct);
  const nNocarry = Math.round(0.6 * (n - correct));
  const procs = [
    ...Array(nColumn).fill(column), ...Array(correct - nColumn).fill(split),
    ...Array(nNocarry).fill(nocarry), ...Array(n - correct - nNocarry).fill(roundProc),
  ];
  return shuffle(rng, procs);
}

// Problems for one file: `count` per carry kind (a third of that per carry-free kind), shuffled.
function problems(seed, label, count) {
  const rng = rngFor(seed, 'problems', label);
  const out = [];
  for (const kind of KINDS) {
    const n = Math.round(count * (parseKind(kind).carry ? PER_KIND.carry : PER_KIND.plain));
    for (let i = 0; i < n; i += 1) {
      const p = generateProblem(rng, kind);
      out.push({ p, kind, template: randInt(rng, 0, templateCount(p.op) - 1) });
    }
  }
  return shuffle(rng, out);
}

// Query rows {id, question, answer?} for a pool.
function queries(seed, label, prefix, count, withAnswer) {
  return problems(seed, label, count).map(({ p, template }, i) => {
    const row = { id: `${prefix}-${String(i + 1).padStart(4, '0')}`, question: questionText(p, template) };
    if (withAnswer) row.answer = String(solve(p));
    return row;
  });
}

// Initial SFT rows {id, question, response}: one annotator solution per problem.
function seedSft(seed, count) {
  const rng = rngFor(seed, 'annotator');
  const list = problems(seed, 'sft', count);
  const perKind = new Map(KINDS.map((k) => [k, annotatorProcedures(rng, k, list.filter((x) => x.kind === k).length)]));
  return list.map(({ p, kind, template }, i) => {
    const proc = perKind.get(kind).pop();
    return { id: `sft-${String(i + 1).padStart(4, '0')}`, question: questionText(p, template), response: renderResponse(p, proc) };
  });
}

// Every data file of the quickstart, by file name, for one seed.
export function generateData(seed) {
  const args = { seed };
  const files = {
    'sft-seed.jsonl': seedSft(args.seed, SIZES.sft),
    'rm-queries.jsonl': queries(args.seed, 'rm', 'rmq', SIZES.rm_queries, true),
    'labeled.jsonl': queries(args.seed, 'labeled', 'lab', SIZES.labeled, true),
    'eval.jsonl': queries(args.seed, 'eval', 'eval', SIZES.eval, true),
    // The RL phase's queries (its own stream, so adding them changed no other file).
    'rl-queries.jsonl': queries(args.seed, 'rl', 'rlq', SIZES.rl_queries, true),
  };
  const unlabeled = queries(args.seed, 'unlabeled', 'unl', SIZES.unlabeled, true);
  files['unlabeled.jsonl'] = unlabeled.map(({ id, question }) => ({ id, question }));
  // Diagnostics only (select's vote_accuracy); selection never reads it.
  files['unlabeled-answers.jsonl'] = unlabeled.map(({ id, answer }) => ({ id, answer }));
  return files;
}

// Run as a script (not imported, e.g. by a test that wants generateData): write the files.
function invokedDirectly() {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runMain('generate.mjs', USAGE, (argv) => {
    const args = parseArgs(argv, { seed: { type: 'int', default: 7 }, out: {} });
    mkdirSync(args.out, { recursive: true });
    const files = generateData(args.seed);
    for (const [name, rows] of Object.entries(files)) {
      writeJsonl(join(args.out, name), rows);
      console.log(`generate: ${name}: ${rows.length} rows`);
    }
  });
}
