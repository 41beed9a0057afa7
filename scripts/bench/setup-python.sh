#!/usr/bin/env bash
# The Python tools the data benchmarks compare loop with (datatrove with spaCy's tokenizer, datasketch,
# math-verify), pinned in scripts/bench/python/requirements.txt, in a venv of their own (default .venv-bench at the
# repository root, or VENV): the recipes' venv (.venv, pinned by recipes/qwen2.5-math/requirements-cpu.lock) and
# CI's stay as they are, as CI runs no benchmark. The benchmarks take $LOOP_BENCH_PYTHON, else .venv-bench's.
# Usage: scripts/bench/setup-python.sh [VENV]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${1:-$root/.venv-bench}"
[[ -x "$venv/bin/python" ]] || "${LOOP_BASE_PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/scripts/bench/python/requirements.txt"
"$venv/bin/python" -c 'from importlib.metadata import version as v; print("bench tools:", *(f"{p} {v(p)}" for p in ("datatrove", "datasketch", "math-verify", "spacy")))'
