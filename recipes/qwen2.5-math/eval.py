#!/usr/bin/env python3
"""eval stage: greedy-decode each benchmark with vLLM and grade the final answers.

--benchmark NAME=PATH (repeatable) names a query JSONL with reference answers, e.g.
math500=.../math500.jsonl and gsm8k=.../gsm8k-test.jsonl (prepare_data.py writes both). Generation uses
sample.py's data-parallel vLLM engines with temperature 0, one response per query; grading uses
answers.py, the same rules as the grade stage.

Writes predictions.jsonl ({"benchmark", "id", "question", "answer", "response", "pred", "correct"}) and
metrics.json: accuracy (the mean of the per-benchmark accuracies, each benchmark counting equally),
one accuracy per benchmark under its NAME (eval.math500, eval.gsm8k), no_answer_rate, truncated_rate.
"""

from __future__ import annotations

import argparse
import re

from answers import extract_answer, is_equiv, reference_answer
from common import ChunkCache, file_fingerprint, read_queries, write_jsonl, write_metrics
from sample import add_engine_args, engine_job, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_engine_args(parser)
    parser.add_argument("--benchmark", action="append", required=True, metavar="NAME=PATH", help="benchmark queries (repeatable)")
    args = parser.parse_args()

    benchmarks = {}
    for spec in args.benchmark:
        name, _, path = spec.partition("=")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) or not path:
            parser.error(f"--benchmark {spec!r}: write NAME=PATH with NAME a metric name such as math500")
        benchmarks[name] = path

    queries = []
    for name, path in benchmarks.items():
        for q in read_queries([path]):
            if reference_answer(q.get("answer")) is None:
                raise SystemExit(f"{path}: query {q['id']!r} has no reference answer")
            queries.append({**q, "id": f"{name}/{q['id']}", "benchmark": name, "source_id": q["id"]})

    job = engine_job(args, n=1, temperature=0.0, top_p=1.0)
    cache = ChunkCache(args.scratch, {**job, "benchmarks": {n: file_fingerprint(p) for n, p in benchmarks.items()}})
    responses = {row["id"]: row for row in generate(queries, job, cache, args.gpus, args.tensor_parallel_size)}

    predictions, right, seen = [], dict.fromkeys(benchmarks, 0), dict.fromkeys(benchmarks, 0)
    for q in queries:
        row = responses[q["id"]]
        pred = extract_answer(row["response"])
        correct = is_equiv(pred, reference_answer(q["answer"]))
        right[q["benchmark"]] += correct
        seen[q["benchmark"]] += 1
        predictions.append({
            "benchmark": q["benchmark"], "id": q["source_id"], "question": q["question"], "answer": q["answer"],
            "response": row["response"], "pred": pred, "correct": correct, "finish_reason": row["finish_reason"],
        })

    per_benchmark = {name: right[name] / seen[name] for name in benchmarks if seen[name]}
    write_jsonl(args.out, predictions)
    write_metrics(args.out, {
        "accuracy": sum(per_benchmark.values()) / len(per_benchmark),
        **per_benchmark,
        "no_answer_rate": sum(p["pred"] is None for p in predictions) / len(predictions),
        "truncated_rate": sum(p["finish_reason"] == "length" for p in predictions) / len(predictions),
    })
    if not args.keep_scratch:
        cache.remove()
    print("  ".join(f"{name} {value:.4f}" for name, value in per_benchmark.items()))


if __name__ == "__main__":
    main()
