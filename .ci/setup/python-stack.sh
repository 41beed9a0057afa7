#!/usr/bin/env bash
# The recipes' Python stack on the CPU: a venv with torch 2.13.0 (CPU build), transformers, TRL, accelerate, peft,
# datasets, tokenizers, safetensors, huggingface_hub, pinned together in recipes/qwen2.5-math/requirements-cpu.lock.
# Usage: python-stack.sh [VENV]      (default: .venv at the repo root)
#        python-stack.sh start|stop  (as .ci/run calls every .ci/setup script: start = the default venv)
# Idempotent: the venv remembers the lock's hash, and a second run with nothing changed returns in about a second.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lock="$root/recipes/qwen2.5-math/requirements-cpu.lock"
case "${1:-}" in
  stop) exit 0 ;;
  start | "") venv="$root/.venv" ;;
  *) venv="$1" ;;
esac
python="${LOOP_BASE_PYTHON:-python3}"

want="$(sha256sum "$lock" | cut -c1-64) $("$python" -c 'import sys; print(sys.version.split()[0])')"
stamp="$venv/.loop-stack"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "python stack: $venv is up to date ($(basename "$lock"))"
  exit 0
fi

echo "python stack: installing $(basename "$lock") into $venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# torch first and alone, pinned: a package that asks for torch then finds it satisfied instead of pulling a CUDA build.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$(grep -E '^torch==' "$lock")"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock"
"$venv/bin/python" -c 'import torch, transformers, trl; print("python stack: torch", torch.__version__, "transformers", transformers.__version__, "trl", trl.__version__)'
echo "$want" > "$stamp"
