#!/usr/bin/env python3
"""Writes the evaluation sets (and a small labeled query set) as the recipe's query JSONL. Not a stage: run once.

  python recipes/qwen2.5-math/prepare_data.py --out recipes/qwen2.5-math/data

math500.jsonl      HuggingFaceH4/MATH-500, test split    {"id", "question", "answer"}
gsm8k-test.jsonl   openai/gsm8k (main), test split        the answer is the number after "####"
gsm8k-train.jsonl  openai/gsm8k (main), train split       a labeled query set to try the loop on

The seed SFT data, the RM queries and the labeled/unlabeled query pools are yours to bring: decontaminate
them against these test sets first (the report drops items with a 13-gram overlap with a test item, or a
longest-common-subsequence ratio of 0.6 or more).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from datasets import load_dataset

from common import write_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(Path(__file__).parent / "data"), help="folder to write the JSONL files in")
    args = parser.parse_args()
    out = Path(args.out)

    math500 = load_dataset("HuggingFaceH4/MATH-500", split="test")
    n = write_jsonl(out / "math500.jsonl", ({"id": r["unique_id"], "question": r["problem"], "answer": r["answer"]} for r in math500))
    print(f"math500.jsonl: {n} queries")

    for split in ("test", "train"):
        gsm8k = load_dataset("openai/gsm8k", "main", split=split)
        rows = (
            {"id": f"gsm8k-{split}-{i}", "question": r["question"], "answer": r["answer"].rsplit("####", 1)[1].strip().replace(",", "")}
            for i, r in enumerate(gsm8k)
        )
        print(f"gsm8k-{split}.jsonl: {write_jsonl(out / f'gsm8k-{split}.jsonl', rows)} queries")


if __name__ == "__main__":
    main()
