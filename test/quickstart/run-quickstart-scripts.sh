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
metric() { node -e 'const m=require(process.argv[1]); console.log(m[process.argv[2]] ?? "-")' "$1/metrics.json" "$2"; }
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
  line="iteration $i: eval.accuracy $(metric "$d" accuracy) (expected $(metric "$d" expected_accuracy))"
  line+=" sft.loss $(metric "$work/iter-$i/train_sft" loss) sft.correct_share $(metric "$work/iter-$i/train_sft" correct_procedure_share)"
  if ((i > 0)); then
    line+=" rm.acc $(metric "$work/iter-$i/train_rm" accuracy) vote.acc $(metric "$work/iter-$i/select" vote_accuracy) kept $(metric "$work/iter-$i/select" kept)"
  fi
  echo "$line"
done
echo "work dir: $work"
