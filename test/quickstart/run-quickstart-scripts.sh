#!/usr/bin/env bash
# Runs the quickstart recipe's stage sequence by hand, with the recipe's arguments, without the engine:
# iteration 0: train_sft (seed data) → eval; iterations 1..4: sample_rm → grade → train_rm → sample_sft
# → score → select → train_sft (select's output) → eval. Prints eval.accuracy per iteration.
# Stage seeds: 7 + 100·iteration + stage index. Usage: run-quickstart-scripts.sh [WORKDIR] [DATADIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scripts="$here/../../recipes/quickstart"
work="${1:-$(mktemp -d)}"
data="${2:-$scripts/data}"
iterations="${ITERATIONS:-4}"
vars_rm_samples=6 vars_sft_samples=8 vars_top_k=2 vars_vote="${VOTE:-softmax}"

seed() { echo $((7 + 100 * $1 + $2)); }
stage() { mkdir -p "$work/iter-$1/$2"; echo "$work/iter-$1/$2"; }

sft_data="$data/sft-seed.jsonl"
for ((i = 0; i <= iterations; i++)); do
  if ((i > 0)); then
    d=$(stage $i sample_rm); node "$scripts/sample.mjs" --model "$model" --queries "$data/rm-queries.jsonl" \
      --n $vars_rm_samples --seed "$(seed $i 1)" --out "$d/samples.jsonl" >/dev/null
    d=$(stage $i grade); node "$scripts/grade.mjs" --queries "$data/rm-queries.jsonl" \
      --samples "$work/iter-$i/sample_rm/samples.jsonl" --out "$d/graded.jsonl" >/dev/null
    d=$(stage $i train_rm); node "$scripts/train-rm.mjs" --data "$work/iter-$i/grade/graded.jsonl" \
      --seed "$(seed $i 3)" --out "$d/rm.json" >/dev/null
    d=$(stage $i sample_sft); node "$scripts/sample.mjs" --model "$model" --queries "$data/labeled.jsonl" \
      --queries "$data/unlabeled.jsonl" --n $vars_sft_samples --seed "$(seed $i 4)" --out "$d/samples.jsonl" >/dev/null
    d=$(stage $i score); node "$scripts/score.mjs" --rm "$work/iter-$i/train_rm/rm.json" \
      --samples "$work/iter-$i/sample_sft/samples.jsonl" --out "$d/scored.jsonl" >/dev/null
    d=$(stage $i select); node "$scripts/select.mjs" --labeled "$data/labeled.jsonl" --unlabeled "$data/unlabeled.jsonl" \
      --samples "$work/iter-$i/score/scored.jsonl" --top-k $vars_top_k --vote "$vars_vote" --out "$d/sft.jsonl" >/dev/null
    sft_data="$d/sft.jsonl"
  fi
  d=$(stage $i train_sft); node "$scripts/train-sft.mjs" --data "$sft_data" --out "$d/policy.json" >/dev/null
  model="$d/policy.json"
  d=$(stage $i eval); node "$scripts/eval.mjs" --model "$model" --queries "$data/eval.jsonl" \
    --seed "$(seed $i 7)" --out "$d/predictions.jsonl" >/dev/null
done

# One line per iteration from the stages' metrics.json files.
node - "$work" "$iterations" <<'JS'
const [work, n] = process.argv.slice(2);
const { existsSync, readFileSync } = require('node:fs');
const m = (i, stage, key) => {
  const f = `${work}/iter-${i}/${stage}/metrics.json`;
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8'))[key] : undefined;
};
for (let i = 0; i <= Number(n); i += 1) {
  let line = `iteration ${i}: eval.accuracy ${m(i, 'eval', 'accuracy')} (expected ${m(i, 'eval', 'expected_accuracy')})`;
  line += `  train_sft: loss ${m(i, 'train_sft', 'loss')}, correct procedures ${m(i, 'train_sft', 'correct_procedure_share')}`;
  if (i > 0) {
    line += `  train_rm: accuracy ${m(i, 'train_rm', 'accuracy')}  select: kept ${m(i, 'select', 'kept')},`;
    line += ` vote_accuracy ${m(i, 'select', 'vote_accuracy')}`;
  }
  console.log(line);
}
JS
echo "work dir: $work"
