#!/usr/bin/env python3
"""grade stage: label every sampled response by rule (its final answer equals the reference or not).

Reads queries {"id", "question", "answer"?} and samples {"id", "response", ...}; writes each sample
with "pred" (the extracted final answer, or null) and "correct" (true/false; null when the query has
no reference answer). Standard library only: runs on a CPU node with a bare python3.

The verdicts come from `loop data grade` (docs/data/grading.md), the one equivalence loop's own grade,
vote, select and rl-filter use, when loop's CLI is there: $LOOP_BIN (a command line, e.g.
"node /opt/loop/bin/loop.mjs"), else `loop` on PATH. Without it the stage falls back to answers.py's
simpler rules and says so on stderr and in metrics.json ("graded_by_loop": 0); those rules agree
with loop's suite on fewer cases (docs/data.md).

metrics.json:
  accuracy        correct / graded samples (samples of queries with a reference answer)
  pass_at_n       queries with at least one correct sample / graded queries
  mixed_queries   queries with both correct and wrong samples / graded queries (the ones the listwise RM loss can use)
  no_answer_rate  samples with no extractable answer / samples
  samples, queries
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

from answers import extract_answer, is_equiv, reference_answer
from common import read_jsonl, read_queries, write_jsonl, write_metrics


def loop_command() -> list[str] | None:
    """loop's CLI as a command line: $LOOP_BIN, else `loop` on PATH; None when neither is there."""
    if os.environ.get("LOOP_BIN"):
        return shlex.split(os.environ["LOOP_BIN"])
    found = shutil.which("loop")
    return [found] if found else None


def grade_with_loop(loop: list[str], query_files: list[str], samples_file: str, extract: str) -> list[dict]:
    """Runs `loop data grade` and returns its rows, "correct" null for samples of unlabeled queries."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "graded.jsonl")
        args = [*loop, "data", "grade", "--samples", samples_file, "--out", out, "--extract", extract]
        for q in query_files:
            args += ["--queries", q]
        run = subprocess.run(args, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"loop data grade failed (exit {run.returncode}): {run.stderr.strip() or run.stdout.strip()}")
        with open(out, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    return [{**row, "correct": row.get("correct")} for row in rows]


def grade_with_answers(queries: list[dict], samples: list[dict]) -> list[dict]:
    """The fallback without loop's CLI: answers.py's rules."""
    refs = {str(q["id"]): reference_answer(q.get("answer")) for q in queries}
    graded = []
    for sample in samples:
        key = str(sample["id"])
        if key not in refs:
            raise SystemExit(f"sample for unknown query id {key!r}; pass the query file it was sampled from")
        pred = extract_answer(sample.get("response"))
        ref = refs[key]
        graded.append({**sample, "pred": pred, "correct": None if ref is None else is_equiv(pred, ref)})
    return graded


def grade(queries: list[dict], samples: list[dict], graded: list[dict] | None = None) -> tuple[list[dict], dict]:
    if graded is None:
        graded = grade_with_answers(queries, samples)
    verdicts = defaultdict(list)
    for row in graded:
        if row["correct"] is not None:
            verdicts[str(row["id"])].append(row["correct"])

    n_graded = sum(len(v) for v in verdicts.values())
    metrics = {
        "samples": len(graded),
        "queries": len({str(s["id"]) for s in graded}),
        "no_answer_rate": sum(g["pred"] is None for g in graded) / len(graded) if graded else 0.0,
    }
    if n_graded:
        metrics["accuracy"] = sum(sum(v) for v in verdicts.values()) / n_graded
        metrics["pass_at_n"] = sum(any(v) for v in verdicts.values()) / len(verdicts)
        metrics["mixed_queries"] = sum(any(v) and not all(v) for v in verdicts.values()) / len(verdicts)
    return graded, metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", action="append", required=True, help="query JSONL (repeatable)")
    parser.add_argument("--samples", required=True, help="samples JSONL from sample.py")
    parser.add_argument("--out", required=True, help="graded samples JSONL to write")
    parser.add_argument("--extract", choices=["auto", "boxed"], default="auto",
                        help="auto: loop's precedence (box, ####, 'final answer is', math span, last number); boxed: only \\boxed{}")
    args = parser.parse_args()

    loop = loop_command()
    if loop is not None:
        graded, metrics = grade([], [], grade_with_loop(loop, args.queries, args.samples, args.extract))
        metrics["graded_by_loop"] = 1
    else:
        print("grade.py: loop's CLI not found ($LOOP_BIN or `loop` on PATH); grading with answers.py's simpler rules",
              file=sys.stderr)
        graded, metrics = grade(read_queries(args.queries), list(read_jsonl(args.samples)))
        metrics["graded_by_loop"] = 0
    write_jsonl(args.out, graded)
    write_metrics(args.out, metrics)
    print(f"graded {metrics['samples']} samples of {metrics['queries']} queries; accuracy {metrics.get('accuracy', 0):.4f}")


if __name__ == "__main__":
    main()
