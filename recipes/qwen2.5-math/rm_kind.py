"""Which trainer wrote a reward-model folder, read from its config.json. Standard library only (tested on the CPU).

  listwise  train_rm.py's ListwiseRewardModel (the report's MLP head and listwise loss)
  seqcls    TRL RewardTrainer's *ForSequenceClassification (train_rm_trl.py)
  openrlhf  OpenRLHF train_rm's value-head model: its config.json carries "value_head_prefix" (openrlhf_rm.py)
"""

from __future__ import annotations

import json
from pathlib import Path


def rm_kind(path: str | Path) -> str:
    """Which trainer wrote the RM folder: "listwise" (train_rm.py), "seqcls" (TRL RewardTrainer) or "openrlhf"."""
    config_file = Path(path) / "config.json"
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"{config_file}: cannot read the reward model's config ({error}); pass train_rm's output folder") from None
    architectures = config.get("architectures") or []
    if "ListwiseRewardModel" in architectures:
        return "listwise"
    if "value_head_prefix" in config:
        return "openrlhf"
    if any(str(a).endswith("ForSequenceClassification") for a in architectures):
        return "seqcls"
    raise SystemExit(f"{config_file}: architectures {architectures} is no reward model this recipe knows "
                     "(train_rm.py's ListwiseRewardModel, TRL's *ForSequenceClassification, or OpenRLHF's train_rm)")
