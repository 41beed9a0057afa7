#!/usr/bin/env python3
"""Adapter: verl's console log -> the stage's metrics.json.

verl (trainer.logger=['console']) prints one line per training step:
    step:12 - actor/pg_loss:-0.004 - actor/kl_loss:0.001 - critic/score/mean:0.412 - response_length/mean:612.5 - ...
and writes no metrics.json. This reads a log holding such lines (the stage log, or a file the wrapper tee'd) and
keeps each key's value from the last step that logged it, with "/" turned into "_" (critic/score/mean ->
critic_score_mean), plus `steps` (the last step number). Standard library only.

  python3 verl_log_metrics.py --log train.log --out {{ out }}/metrics.json
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

STEP = re.compile(r"(?:^|\s)step:(\d+)\s+-\s+(.*)$")
PAIR = re.compile(r"([A-Za-z0-9_/@.\-]+):(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf|-inf)")


def metrics_from_log(text: str) -> dict:
    metrics: dict = {}
    last = None
    for line in text.splitlines():
        m = STEP.search(line)
        if not m:
            continue
        last = int(m.group(1))
        for key, raw in PAIR.findall(m.group(2)):
            value = float(raw)
            if math.isfinite(value):
                metrics[re.sub(r"[^A-Za-z0-9_]", "_", key)] = value
    if last is None:
        raise SystemExit("no 'step:N - key:value' lines in the log: did verl run with trainer.logger=['console']?")
    metrics["steps"] = last
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--log", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    metrics = metrics_from_log(Path(args.log).read_text(encoding="utf-8", errors="replace"))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"metrics: {len(metrics)} values up to step {metrics['steps']}")


if __name__ == "__main__":
    main()
