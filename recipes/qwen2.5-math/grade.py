#!/usr/bin/env python3
"""grade stage: label every sampled response by rule (its final answer equals the reference or not).

Reads queries {"id", "question", "answer"?} and samples {"id", "response", ...}; writes each sample
with "pred" (the extracted final answer, or null) and "correct" (true/false; null when the query has
no reference answer). Standard library only: runs on a CPU node with a bare python3.

metrics.json:
  accuracy        correct / graded samples (samples of queries with a reference answer)
  pass_at_n       queries with at least one correct sample / graded queries
  mixed_queries   queries with both correct and wrong samples / graded queries (the ones the listwise RM loss can use)
  no_answer_rate  samples with no extractable answer / samples
  samples, queries
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from answers import extract_answer, is_equiv, reference_answer
from common import read_jsonl, read_queries, write_jsonl, write_metrics


def grade(queries: list[dict], samples: list[dict]) -> tuple[list[dict], dict]:
    refs = {str(q["id"]): reference_answer(q.get("answer")) for q in queries}
    graded, verdicts = [], defaultdict(list)
    for sample in samples:
        key = str(sample["id"])
        if key not in refs:
            raise SystemExit(f"sample for unknown query id {key!r}; pass the query file it was sampled from")
        pred = extract_answer(sample.get("response"))
        ref = refs[key]
        correct = None if ref is None else is_equiv(pred, ref)
        graded.append({**sample, "pred": pred, "correct": correct})
        if correct is not None:
            verdicts[key].append(correct)

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
    args = parser.parse_args()

    graded, metrics = grade(read_queries(args.queries), list(read_jsonl(args.samples)))
    write_jsonl(args.out, graded)
    write_metrics(args.out, metrics)
    print(f"graded {metrics['samples']} samples of {metrics['queries']} queries; accuracy {metrics.get('accuracy', 0):.4f}")


if __name__ == "__main__":
    main()
