#!/usr/bin/env python3
"""Adapter: a Hugging Face Trainer's trainer_state.json -> the stage's metrics.json.

TRL's SFTTrainer, RewardTrainer and GRPOTrainer (like every transformers Trainer) keep what they log in
trainer_state.json's "log_history", a list of dicts, one per logging step, and write no metrics.json. This
takes, for every numeric key, its last logged value (so `loss`, `reward`, `kl`, `eval_accuracy`, ...), renames
"/" to "_" (`rewards/shaped_reward/mean` -> `rewards_shaped_reward_mean`: metric names are STAGE.METRIC), adds
`steps` (global_step) and `train_loss` (the summary entry's mean loss), and drops bookkeeping keys.

  python3 trainer_state_metrics.py --state OUTPUT_DIR/trainer_state.json --out {{ out }}/metrics.json
A folder is accepted too: its trainer_state.json, else that of its newest checkpoint-N/.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

SKIP = {"epoch", "step", "learning_rate", "grad_norm", "total_flos", "train_runtime", "train_samples_per_second",
        "train_steps_per_second", "eval_runtime", "eval_samples_per_second", "eval_steps_per_second"}


def find_state(path: Path) -> Path:
    """trainer_state.json itself, or the one in a folder, or in the folder's newest checkpoint-N/."""
    if path.is_file():
        return path
    if (path / "trainer_state.json").is_file():
        return path / "trainer_state.json"
    checkpoints = sorted(path.glob("checkpoint-*/trainer_state.json"), key=lambda p: int(re.sub(r"\D", "", p.parent.name) or 0))
    if not checkpoints:
        raise SystemExit(f"no trainer_state.json in {path} or its checkpoint-N/ folders: did the trainer save a checkpoint?")
    return checkpoints[-1]


def metrics_from_state(state: dict) -> dict:
    """Last value of each numeric logged key, plus steps and train_loss."""
    metrics: dict[str, float] = {}
    for entry in state.get("log_history", []):
        for key, value in entry.items():
            if key in SKIP or isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                continue
            metrics[re.sub(r"[^A-Za-z0-9_]", "_", key)] = value
    metrics["steps"] = state.get("global_step", 0)
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", required=True, help="trainer_state.json, or an output folder holding one")
    parser.add_argument("--out", required=True, help="metrics.json to write")
    args = parser.parse_args()
    state_file = find_state(Path(args.state))
    metrics = metrics_from_state(json.loads(state_file.read_text(encoding="utf-8")))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"metrics: {len(metrics)} values from {state_file}")


if __name__ == "__main__":
    main()
