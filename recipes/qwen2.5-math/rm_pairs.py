#!/usr/bin/env python3
"""Pairwise RM data for the framework variants: `loop data rm-data --pairs` on grade's output, then each trainer's format.

The report's RM loss is listwise over a query's 6 responses (train_rm.py). TRL's RewardTrainer and OpenRLHF's
train_rm are pairwise (Bradley-Terry: -log sigmoid(r_chosen - r_rejected)), so their train_rm stages first turn
the graded samples into (correct, wrong) pairs of the same query with loop's own builder:

  loop data rm-data --samples GRADED --queries Q --group 6 --pairs --ungrouped --out PAIRS
  -> {"id", "question", "chosen", "rejected"}: every correct response of a query's first 6 distinct ones
     against every wrong one (a query with 3 right and 3 wrong gives 9 pairs; all-right or all-wrong: none;
     fewer than 6 distinct responses: none, counted as "short", as for the listwise groups)

and then write each pair as the trainer reads it, as chat messages with the recipe's system prompt:

  --format trl       {"chosen": [system, user, assistant], "rejected": [...]}       (RewardTrainer, implicit prompt)
  --format openrlhf  {"prompt": [system, user], "chosen": [assistant], "rejected": [assistant]}
                     (train_rm --prompt_key prompt --chosen_key chosen --rejected_key rejected --apply_chat_template)

A loop stage runs `loop` from the same installation as the controller: $LOOP_NODE $LOOP_BIN (set for every stage).
Standard library only.

  python3 rm_pairs.py --graded GRADED --queries Q --format trl --out pairs.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

from common import messages, read_jsonl, write_jsonl

FORMATS = ("trl", "openrlhf")


def loop_command(environ: dict | None = None) -> list[str]:
    """The `loop` program of the run that started this stage: [node, bin/loop.mjs], else `loop` on PATH."""
    env = os.environ if environ is None else environ
    if env.get("LOOP_BIN"):
        return [env.get("LOOP_NODE") or "node", env["LOOP_BIN"]]
    return ["loop"]


def build_pairs(graded: str, queries: str, out: str | Path, group: int = 6, environ: dict | None = None) -> dict:
    """Runs `loop data rm-data --pairs`; returns its JSON summary. Fails with loop's own message on bad input."""
    cmd = [*loop_command(environ), "data", "rm-data", "--samples", graded, "--queries", queries, "--group", str(group),
           "--pairs", "--ungrouped", "--out", str(out), "--json"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ if environ is None else environ)
    except FileNotFoundError:
        raise SystemExit(f"cannot run {cmd[0]}: run this inside a loop stage (it sets LOOP_BIN), or put `loop` on PATH") from None
    if done.returncode != 0:
        raise SystemExit(f"loop data rm-data exited with code {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def to_format(pair: dict, fmt: str) -> dict:
    """One {"question", "chosen", "rejected"} pair as the trainer named by `fmt` reads it."""
    question, chosen, rejected = pair["question"], pair["chosen"], pair["rejected"]
    if fmt == "trl":
        return {"chosen": messages(question, chosen), "rejected": messages(question, rejected)}
    if fmt == "openrlhf":
        return {"prompt": messages(question), "chosen": [{"role": "assistant", "content": chosen}],
                "rejected": [{"role": "assistant", "content": rejected}]}
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def split_by_query(pairs: list[dict], fmt: str, eval_fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    """Train and held-out pairs in the trainer's format; all of a query's pairs fall on one side (seeded shuffle)."""
    by_query: dict[str, list[dict]] = defaultdict(list)
    for pair in pairs:
        by_query[str(pair["id"])].append(pair)
    ids = sorted(by_query)
    random.Random(seed).shuffle(ids)
    held = max(1, int(len(ids) * eval_fraction)) if len(ids) > 1 and eval_fraction > 0 else 0
    return ([to_format(p, fmt) for i in ids[held:] for p in by_query[i]],
            [to_format(p, fmt) for i in ids[:held] for p in by_query[i]])


def convert(pairs: Iterable[dict], fmt: str) -> Iterator[dict]:
    for pair in pairs:
        yield to_format(pair, fmt)


def write_pairs(graded: str, queries: str, fmt: str, out: str | Path, scratch: str | Path, group: int = 6,
                environ: dict | None = None) -> dict:
    """graded samples -> loop's pairs (in scratch) -> the trainer's format at `out`; returns counts for metrics.json."""
    raw = Path(scratch) / "rm-pairs.jsonl"
    raw.parent.mkdir(parents=True, exist_ok=True)
    summary = build_pairs(graded, queries, raw, group, environ)
    count = write_jsonl(out, convert(read_jsonl(raw), fmt))
    if count == 0:
        raise SystemExit(f"{graded}: no query has both a correct and a wrong response among its first {group}; "
                         "there is nothing to train a pairwise RM on")
    return {"pairs": count, "pair_queries": summary["kept"], "queries_all_correct": summary["allCorrect"],
            "queries_all_wrong": summary["allWrong"], "queries_short": summary["short"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graded", required=True, help="grade's output: samples with \"correct\"")
    parser.add_argument("--queries", required=True, help="the RM queries (their questions)")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--group", type=int, default=6, help="responses per query the pairs come from (the report: 6)")
    parser.add_argument("--scratch", default=None, help="folder for loop's raw pairs (default: beside --out)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    counts = write_pairs(args.graded, args.queries, args.format, args.out, args.scratch or Path(args.out).parent, args.group)
    print(f"{counts['pairs']} pairs from {counts['pair_queries']} queries -> {args.out}")


if __name__ == "__main__":
    main()
