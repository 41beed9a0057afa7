#!/usr/bin/python3
"""Writes tiny-torch's data files: two-digit additions. The committed files in data/ are this script's output:
    /usr/bin/python3 recipes/tiny-torch/generate.py --seed 3 --out recipes/tiny-torch/data
The seed SFT data comes from a careless annotator who forgets the carry on 70% of carry problems, so the first
policy learns the bug; eval problems are disjoint from every training pool. Needs no PyTorch."""
import argparse
import json
import os
import random

SIZES = {"sft-seed": 1500, "rm-queries": 400, "labeled": 1400, "unlabeled": 300, "eval": 600}
FORGET_CARRY = 0.7


# The annotator's answer: the true sum, or on a carry problem (most of the time) the sum without the carry.
def annotator_answer(rng, a, b):
    if a % 10 + b % 10 >= 10 and rng.random() < FORGET_CARRY:
        return a + b - 10
    return a + b


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    rng = random.Random(args.seed)
    pairs = [(a, b) for a in range(10, 100) for b in range(10, 100)]
    rng.shuffle(pairs)
    os.makedirs(args.out, exist_ok=True)
    start = 0
    for name, size in SIZES.items():
        chunk = pairs[start:start + size]
        start += size
        prefix = name.split("-")[0][:3]
        with open(os.path.join(args.out, f"{name}.jsonl"), "w") as f:
            for i, (a, b) in enumerate(chunk):
                row = {"id": f"{prefix}-{i + 1:04d}", "question": f"What is {a} + {b}?"}
                if name == "sft-seed":
                    row["response"] = f"The answer is {annotator_answer(rng, a, b)}."
                elif name != "unlabeled":
                    row["answer"] = str(a + b)
                f.write(json.dumps(row) + "\n")
        print(f"generate: {name}.jsonl: {len(chunk)} rows")


if __name__ == "__main__":
    main()
