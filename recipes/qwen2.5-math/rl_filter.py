#!/usr/bin/env python3
"""rl_filter stage: keep the RL queries of the right difficulty (the report: 2 to 5 correct of 8 samples).

Reads the RL queries {"id", "question", "answer"} and grade.py's output for the samples drawn from them with
the final SFT model; writes the queries whose correct count is within [--min, --max], each with "sft_correct".
Queries answered right every time teach GRPO nothing, and queries never answered right give its group
baseline no contrast. Standard library only.

metrics.json: queries, kept, kept_share, too_easy, too_hard
"""

from __future__ import annotations

import argparse
from collections import Counter

from common import read_jsonl, read_queries, write_jsonl, write_metrics


def rl_filter(queries: list[dict], graded: list[dict], low: int, high: int) -> tuple[list[dict], dict]:
    correct, seen = Counter(), set()
    for row in graded:
        if row.get("correct") is None:
            raise SystemExit(f"graded row for query {row.get('id')!r} has no verdict: RL queries need reference answers")
        key = str(row["id"])
        seen.add(key)
        correct[key] += bool(row["correct"])
    sampled = [q for q in queries if str(q["id"]) in seen]
    kept = [{**q, "sft_correct": correct[str(q["id"])]} for q in sampled if low <= correct[str(q["id"])] <= high]
    too_easy = sum(correct[str(q["id"])] > high for q in sampled)
    metrics = {
        "queries": len(sampled),
        "kept": len(kept),
        "kept_share": len(kept) / len(sampled) if sampled else 0.0,
        "too_easy": too_easy,
        "too_hard": len(sampled) - len(kept) - too_easy,
    }
    return kept, metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", action="append", required=True, help="RL query JSONL (repeatable)")
    parser.add_argument("--graded", required=True, help="grade.py's output for the RL samples")
    parser.add_argument("--min", type=int, default=2, help="fewest correct samples to keep a query (default 2)")
    parser.add_argument("--max", type=int, default=5, help="most correct samples to keep a query (default 5)")
    parser.add_argument("--out", required=True, help="kept queries JSONL to write")
    args = parser.parse_args()
    if args.min > args.max:
        parser.error(f"--min {args.min} is more than --max {args.max}")
    kept, metrics = rl_filter(read_queries(args.queries), list(read_jsonl(args.graded)), args.min, args.max)
    write_jsonl(args.out, kept)
    write_metrics(args.out, metrics)
    print(f"rl_filter: kept {metrics['kept']} of {metrics['queries']} queries ({metrics['too_easy']} too easy, {metrics['too_hard']} too hard)")


if __name__ == "__main__":
    main()
