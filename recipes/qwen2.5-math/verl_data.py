"""rl_filter's kept queries (JSONL) -> the parquet file verl's RL dataset reads.

verl expects per row: data_source, prompt (chat messages), ability, reward_model {"style", "ground_truth"},
extra_info (ours carries the id and the question, which verl_reward.py sends to the reward server).
Needs pandas and pyarrow (verl's own dependencies).
"""

from __future__ import annotations

from common import SYSTEM_PROMPT, read_jsonl


def verl_rows(queries_file: str) -> list[dict]:
    return [{
        "data_source": "loop-rl",
        "prompt": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": q["question"]}],
        "ability": "math",
        "reward_model": {"style": "rule", "ground_truth": str(q["answer"])},
        "extra_info": {"id": str(q["id"]), "question": q["question"]},
    } for q in read_jsonl(queries_file)]


def write_parquet(queries_file: str, out: str) -> int:
    import pandas as pd

    rows = verl_rows(queries_file)
    if not rows:
        raise SystemExit(f"{queries_file} is empty: rl_filter kept no query")
    pd.DataFrame(rows).to_parquet(out)
    return len(rows)
