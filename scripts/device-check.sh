#!/usr/bin/env bash
# The real stack on one CUDA GPU: recipes/tiny-qwen.yaml's stages (the production scripts of recipes/qwen2.5-math/)
# in bf16, one round of the loop and the RL phase, timed stage by stage. For a lent GPU machine whose image has
# torch, transformers, accelerate and peft but no trl, vllm or datasets, and no network at all.
#
#   here, with the registries:   bash scripts/device-check.sh --fetch   (wheels for the GPU machine into .whl/)
#   on the GPU machine:          bash scripts/device-check.sh           (carry .whl; writes $OUT or /tmp/device-check)
#
# Node is not assumed there, so the stages run in the loop's order from this script, each with the command line
# the recipe gives it (vars.python = python3); `loop run` drives the same commands where Node is present.
# vLLM is used where it is installed, else transformers generate (sample.py --engine auto); what cannot run is
# named in the summary and skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

# The packages the GPU image lacks, by the names and versions of the CPU lock, for CPython 3.12 on x86_64.
WHEELS=(trl datasets dill multiprocess xxhash)
if [[ "${1:-}" == "--fetch" ]]; then
  mkdir -p .whl
  grep -qx '/.whl/' .git/info/exclude 2>/dev/null || echo '/.whl/' >> .git/info/exclude
  for name in "${WHEELS[@]}"; do
    pin="$(grep -i -E "^${name}==" recipes/qwen2.5-math/requirements-cpu.lock)"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
      --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl "$pin"
  done
  ls -la .whl
  exit 0
fi

out="${OUT:-/tmp/device-check}"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"
say() { echo "$*" | tee -a "$summary"; }

if ! python3 -c 'import trl, datasets' 2>/dev/null; then
  if compgen -G ".whl/*.whl" >/dev/null; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
  fi
fi
python3 - <<'PY' | tee -a "$summary"
import importlib
for name in ("torch", "transformers", "trl", "accelerate", "peft", "datasets", "vllm"):
    try:
        print(f"{name} {importlib.import_module(name).__version__}")
    except Exception as error:  # noqa: BLE001
        print(f"{name} missing ({type(error).__name__})")
import torch
print("cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
PY
python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' || { say "no CUDA device: nothing to check"; exit 1; }
python3 -c 'import trl, datasets' 2>/dev/null || { say "trl/datasets missing (run --fetch here and carry .whl): only sampling and eval can run"; }

cd recipes
py=(python3 qwen2.5-math)
data=tiny-qwen/data
run="$out/run"
rm -rf "$run"
failed=()
stage() {  # stage ITERATION NAME COMMAND...: runs one stage, its log in $run/ITERATION/NAME.log, and times it
  local it="$1" name="$2"; shift 2
  mkdir -p "$run/$it/$name"
  local start=$SECONDS
  if LOOP_METRICS="$run/$it/$name/metrics.json" TOKENIZERS_PARALLELISM=false "$@" >"$run/$it/$name.log" 2>&1; then
    say "ok    $it/$name $((SECONDS - start))s $(tr -d '\n ' < "$run/$it/$name/metrics.json" 2>/dev/null | cut -c1-300)"
  else
    say "FAIL  $it/$name $((SECONDS - start))s: $(tail -n 3 "$run/$it/$name.log" | tr '\n' ' ')"
    failed+=("$it/$name")
  fi
}
common=(--seed 1234)
train_common=(--logging-steps 5 --gradient-checkpointing true --dtype bf16)
sft() {  # sft ITERATION DATA
  stage "$1" train_sft "${py[0]}" "${py[1]}/train_sft.py" --base-model tiny-qwen/base --data "$2" --epochs 10 \
    --learning-rate 3e-3 --per-device-batch-size 32 --grad-accum 1 --save-steps 50 "${train_common[@]}" --max-length 160 \
    "${common[@]}" --scratch "$run/scratch/$1/sft" --out "$run/$1/train_sft/model"
}
evaluate() {  # evaluate ITERATION MODEL NAME
  stage "$1" "$3" "${py[0]}" "${py[1]}/eval.py" --model "$2" --benchmark "add=$data/eval.jsonl" --max-tokens 64 --gpus 1 \
    "${common[@]}" --scratch "$run/scratch/$1/$3" --out "$run/$1/$3/predictions.jsonl"
}
sample() {  # sample ITERATION NAME N QUERIES... (from $policy)
  local it="$1" name="$2" n="$3"; shift 3
  local queries=(); for q in "$@"; do queries+=(--queries "$q"); done
  stage "$it" "$name" "${py[0]}" "${py[1]}/sample.py" --model "$policy" "${queries[@]}" --n "$n" \
    --temperature 1.0 --top-p 0.8 --max-tokens 64 --gpus 1 "${common[@]}" --scratch "$run/scratch/$it/$name" \
    --out "$run/$it/$name/samples.jsonl"
}

begin=$SECONDS
sft 0 "$data/sft-seed.jsonl"
evaluate 0 "$run/0/train_sft/model" eval
policy="$run/0/train_sft/model"
sample 1 sample_rm 6 "$data/rm-queries.jsonl"
stage 1 grade "${py[0]}" "${py[1]}/grade.py" --queries "$data/rm-queries.jsonl" --samples "$run/1/sample_rm/samples.jsonl" --out "$run/1/grade/graded.jsonl"
stage 1 train_rm "${py[0]}" "${py[1]}/train_rm.py" --model "$run/0/train_sft/model" --data "$run/1/grade/graded.jsonl" \
  --queries "$data/rm-queries.jsonl" --epochs 2 --learning-rate 1e-3 --queries-per-device 4 --grad-accum 1 --eval-fraction 0.15 \
  --save-steps 50 "${train_common[@]}" --dataloader-workers 0 --max-length 160 "${common[@]}" --scratch "$run/scratch/1/rm" --out "$run/1/train_rm/rm"
sample 1 sample_sft 4 "$data/labeled.jsonl" "$data/unlabeled.jsonl"
stage 1 score "${py[0]}" "${py[1]}/score.py" --rm "$run/1/train_rm/rm" --samples "$run/1/sample_sft/samples.jsonl" \
  --queries "$data/labeled.jsonl" --queries "$data/unlabeled.jsonl" --max-length 160 --dtype bf16 --scratch "$run/scratch/1/score" --out "$run/1/score/scored.jsonl"
stage 1 select "${py[0]}" "${py[1]}/select_sft.py" --queries "$data/labeled.jsonl" --queries "$data/unlabeled.jsonl" \
  --samples "$run/1/score/scored.jsonl" --top-k 2 --vote sigmoid --out "$run/1/select/sft.jsonl"
sft 1 "$run/1/select/sft.jsonl"
evaluate 1 "$run/1/train_sft/model" eval
policy="$run/1/train_sft/model"
sample rl rl_sample 8 "$data/rl-queries.jsonl"
stage rl rl_grade "${py[0]}" "${py[1]}/grade.py" --queries "$data/rl-queries.jsonl" --samples "$run/rl/rl_sample/samples.jsonl" --out "$run/rl/rl_grade/graded.jsonl"
stage rl rl_filter "${py[0]}" "${py[1]}/rl_filter.py" --queries "$data/rl-queries.jsonl" --graded "$run/rl/rl_grade/graded.jsonl" --min 2 --max 5 --out "$run/rl/rl_filter/queries.jsonl"
stage rl rl_train "${py[0]}" "${py[1]}/train_grpo.py" --model "$run/1/train_sft/model" --rm "$run/1/train_rm/rm" \
  --queries "$run/rl/rl_filter/queries.jsonl" --num-generations 8 --alpha 0.5 --epochs 1 --learning-rate 1e-4 \
  --per-device-batch-size 16 --grad-accum 1 --save-steps 10 "${train_common[@]}" --max-completion-length 64 "${common[@]}" \
  --scratch "$run/scratch/rl/grpo" --out "$run/rl/rl_train/model"
evaluate rl "$run/rl/rl_train/model" rl_eval
say "wall $((SECONDS - begin))s; failed: ${failed[*]:-none}"
[[ ${#failed[@]} -eq 0 ]]
