#!/usr/bin/env python3
"""A task a tiny model learns on a CPU in minutes: two-digit additions, answered step by step with
the final answer in \\boxed{}, split into the qwen2.5-math recipe's inputs (recipes/tiny-qwen.yaml).

The seed SFT data comes from a careless annotator who forgets the carry on --careless (60 %) of the problems
that have one, so the first SFT model learns the slip, and rejection sampling has something to fix: sampled at
temperature 1, the model writes the carry now and then, grading keeps those answers, and the next SFT data
holds more of them. Every split is disjoint from the others (no problem appears twice across files).

  python3 make_tiny_task.py --out recipes/tiny-qwen/data --seed 7
writes sft-seed.jsonl {"id", "question", "response"}, rm-queries.jsonl, labeled.jsonl and rl-queries.jsonl
{"id", "question", "answer"}, unlabeled.jsonl {"id", "question"}, eval.jsonl {"id", "question", "answer"}.
Standard library only.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from common import write_jsonl

# One wording: every digit then sits at the same place in every prompt, which a model this small learns to read in
# a few hundred steps (with several wordings it must first learn to find the numbers, which takes far longer).
TEMPLATES = ("What is {a} + {b}?",)


def question(a: int, b: int, template: int) -> str:
    return TEMPLATES[template].format(a=a, b=b)


def solution(a: int, b: int, careless: bool = False) -> str:
    """The step-by-step answer; a careless annotator drops the carry from the ones into the tens."""
    ones = a % 10 + b % 10
    carry = ones // 10 if not careless else 0
    tens = a // 10 + b // 10 + carry
    first = f"Ones: {a % 10} + {b % 10} = {ones}" + (", carry 1." if carry else ".")
    second = f"Tens: {a // 10} + {b // 10}" + (" + 1" if carry else "") + f" = {tens}."
    total = tens * 10 + ones % 10
    return f"{first} {second} The answer is \\boxed{{{total}}}."


def has_carry(a: int, b: int) -> bool:
    return a % 10 + b % 10 >= 10


def make_splits(seed: int, sizes: dict[str, int], careless_share: float) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    problems = [(a, b, t) for a in range(10, 100) for b in range(10, 100) for t in range(len(TEMPLATES))]
    rng.shuffle(problems)
    need = sum(sizes.values())
    if need > len(problems):
        raise SystemExit(f"the splits ask for {need} problems; there are {len(problems)}")
    splits, start = {}, 0
    for name, size in sizes.items():
        splits[name] = problems[start:start + size]
        start += size
    rows: dict[str, list[dict]] = {}
    for name, chosen in splits.items():
        prefix = name.replace("_", "-")
        out = []
        for i, (a, b, t) in enumerate(chosen, 1):
            row = {"id": f"{prefix}-{i:04d}", "question": question(a, b, t)}
            if name == "sft":
                row["response"] = solution(a, b, careless=has_carry(a, b) and rng.random() < careless_share)
            elif name != "unlabeled":
                row["answer"] = str(a + b)
            out.append(row)
        rows[name] = out
    return rows


FILES = {"sft": "sft-seed.jsonl", "rm_queries": "rm-queries.jsonl", "labeled": "labeled.jsonl",
         "unlabeled": "unlabeled.jsonl", "rl_queries": "rl-queries.jsonl", "eval": "eval.jsonl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder for the JSONL files")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--careless", type=float, default=0.6, help="share of carry problems the seed annotator gets wrong")
    parser.add_argument("--sft", type=int, default=800)
    parser.add_argument("--rm-queries", type=int, default=192)
    parser.add_argument("--labeled", type=int, default=1600)
    parser.add_argument("--unlabeled", type=int, default=80)
    parser.add_argument("--rl-queries", type=int, default=48)
    parser.add_argument("--eval", type=int, default=200)
    args = parser.parse_args()
    sizes = {"sft": args.sft, "rm_queries": args.rm_queries, "labeled": args.labeled, "unlabeled": args.unlabeled,
             "rl_queries": args.rl_queries, "eval": args.eval}
    for name, rows in make_splits(args.seed, sizes, args.careless).items():
        write_jsonl(Path(args.out) / FILES[name], rows)
        print(f"{FILES[name]}: {len(rows)} rows")


if __name__ == "__main__":
    main()
