#!/usr/bin/env python3
"""select stage: rejection sampling with the reward model builds the next SFT data set.

For each query (queries {"id", "question", "answer"?}; samples {"id", "response", "rm"} from score.py):
  * with a reference answer: among the responses whose final answer is correct, keep the top-k by RM score;
  * without one: an RM-weighted majority vote over the final answers picks the most plausible answer;
    among the responses that reach it, keep the top-k by RM score.
Identical responses are kept once. Standard library only: runs on a CPU node with a bare python3.

Vote weights (--vote), for a response with RM score r among the query's responses r_1..r_n:
  sigmoid (default)  w = 1 / (1 + exp(-r)): each response counts between 0 and 1, confident ones almost
                     fully and doubtful ones barely; a soft majority, not dominated by one outlier score.
  softmax            w = exp(r / T) / sum_j exp(r_j / T), T = --vote-temperature: T -> 0 tends to
                     "the RM's single favourite", T -> infinity to a plain majority.
  count              w = 1: a plain majority vote, ignoring the RM (for ablations).
An answer's weight is the sum over the responses that reach it (answers compared with answers.is_equiv);
ties go to more responses, then the higher best RM score, then the answer seen first.

Writes {"id", "question", "response", "answer", "rm", "source"} rows, "source" being "reference" or
"vote", in query order and by RM score within a query. metrics.json:
  examples              rows written
  labeled_coverage      labeled queries with at least one kept response / labeled queries
  unlabeled_coverage    unlabeled queries with a voted answer / unlabeled queries
  sample_accuracy       correct / samples of labeled queries
  rm_top1_accuracy      labeled queries whose highest-RM response is correct (the RM as a best-of-n picker)
  vote_accuracy         labeled queries where the RM-weighted vote finds the reference answer
  majority_accuracy     the same with a plain majority vote, for comparison
  vote_share            mean share of the vote weight won by the winning answer, on unlabeled queries
  queries_labeled, queries_unlabeled
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict

from answers import extract_answer, is_equiv, reference_answer
from common import read_jsonl, read_queries, write_jsonl, write_metrics

VOTE_MODES = ("sigmoid", "softmax", "count")


def vote_weights(scores: list[float], mode: str, temperature: float = 1.0) -> list[float]:
    if mode == "count":
        return [1.0 for _ in scores]
    if mode == "sigmoid":
        return [1 / (1 + math.exp(-s)) if s >= 0 else math.exp(s) / (1 + math.exp(s)) for s in scores]
    if mode == "softmax":
        top = max(scores) / temperature
        exps = [math.exp(s / temperature - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]
    raise ValueError(f"unknown vote mode {mode!r}; use one of {', '.join(VOTE_MODES)}")


def vote(samples: list[dict], mode: str, temperature: float = 1.0) -> tuple[list[dict], float] | None:
    """The responses reaching the winning answer, and its share of the weight; None when no response has an answer."""
    answered = [s for s in samples if s["pred"] is not None]
    if not answered:
        return None
    weights = vote_weights([s["rm"] for s in answered], mode, temperature)
    clusters: list[dict] = []  # {"members": [...], "weight": float}
    for sample, weight in zip(answered, weights):
        home = next((c for c in clusters if is_equiv(sample["pred"], c["members"][0]["pred"])), None)
        if home is None:
            home = {"members": [], "weight": 0.0}
            clusters.append(home)
        home["members"].append(sample)
        home["weight"] += weight
    best = clusters[0]
    for cluster in clusters[1:]:
        if rank_key(cluster) > rank_key(best):
            best = cluster
    return best["members"], best["weight"] / sum(weights)


def rank_key(cluster: dict) -> tuple:
    return (round(cluster["weight"], 12), len(cluster["members"]), max(s["rm"] for s in cluster["members"]))


def top_k(samples: list[dict], k: int) -> list[dict]:
    """The k highest-RM responses, identical texts kept once; ties keep sampling order."""
    kept, seen = [], set()
    for sample in sorted(samples, key=lambda s: -s["rm"]):
        text = sample["response"].strip()
        if text not in seen:
            seen.add(text)
            kept.append(sample)
        if len(kept) == k:
            break
    return kept


def select(queries: list[dict], samples: list[dict], k: int, mode: str, temperature: float = 1.0) -> tuple[list[dict], dict]:
    by_query: dict[str, list[dict]] = defaultdict(list)
    known = {str(q["id"]) for q in queries}
    for sample in samples:
        key = str(sample["id"])
        if key not in known:
            raise SystemExit(f"sample for unknown query id {key!r}; pass every query file that was sampled")
        if not isinstance(sample.get("rm"), (int, float)):
            raise SystemExit(f"sample of query {key!r} has no numeric \"rm\" score; run the score stage first")
        by_query[key].append({**sample, "pred": extract_answer(sample.get("response"))})

    rows: list[dict] = []
    labeled = {"queries": 0, "covered": 0, "samples": 0, "correct": 0, "top1": 0, "vote": 0, "majority": 0}
    unlabeled = {"queries": 0, "covered": 0, "share": 0.0}
    for query in queries:
        group = by_query.get(str(query["id"]), [])
        ref = reference_answer(query.get("answer"))
        if ref is not None:
            labeled["queries"] += 1
            for s in group:
                s["correct"] = is_equiv(s["pred"], ref)
            kept = top_k([s for s in group if s["correct"]], k)
            labeled["covered"] += bool(kept)
            labeled["samples"] += len(group)
            labeled["correct"] += sum(s["correct"] for s in group)
            if group:
                labeled["top1"] += max(group, key=lambda s: s["rm"])["correct"]
                for name, how in (("vote", mode), ("majority", "count")):
                    result = vote(group, how, temperature)
                    labeled[name] += bool(result and result[0][0]["correct"])
            answer, source = ref, "reference"
        else:
            unlabeled["queries"] += 1
            result = vote(group, mode, temperature)
            kept = top_k(result[0], k) if result else []
            if result:
                unlabeled["covered"] += 1
                unlabeled["share"] += result[1]
            answer, source = (kept[0]["pred"] if kept else None), "vote"
        for s in kept:
            rows.append({"id": query["id"], "question": query["question"], "response": s["response"],
                         "answer": answer, "rm": s["rm"], "source": source})

    metrics: dict[str, float] = {
        "examples": len(rows),
        "queries_labeled": labeled["queries"],
        "queries_unlabeled": unlabeled["queries"],
    }
    if labeled["queries"]:
        metrics["labeled_coverage"] = labeled["covered"] / labeled["queries"]
        metrics["rm_top1_accuracy"] = labeled["top1"] / labeled["queries"]
        metrics["vote_accuracy"] = labeled["vote"] / labeled["queries"]
        metrics["majority_accuracy"] = labeled["majority"] / labeled["queries"]
    if labeled["samples"]:
        metrics["sample_accuracy"] = labeled["correct"] / labeled["samples"]
    if unlabeled["queries"]:
        metrics["unlabeled_coverage"] = unlabeled["covered"] / unlabeled["queries"]
    if unlabeled["covered"]:
        metrics["vote_share"] = unlabeled["share"] / unlabeled["covered"]
    return rows, metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", action="append", required=True, help="query JSONL, labeled or not (repeatable)")
    parser.add_argument("--samples", required=True, help="scored samples JSONL from score.py")
    parser.add_argument("--top-k", type=int, default=2, help="responses kept per query")
    parser.add_argument("--vote", choices=VOTE_MODES, default="sigmoid", help="RM weighting of the vote")
    parser.add_argument("--vote-temperature", type=float, default=1.0, help="T for --vote softmax")
    parser.add_argument("--out", required=True, help="SFT data JSONL to write")
    args = parser.parse_args()
    if args.top_k < 1:
        parser.error("--top-k must be at least 1")
    if args.vote_temperature <= 0:
        parser.error("--vote-temperature must be positive")

    rows, metrics = select(read_queries(args.queries), list(read_jsonl(args.samples)), args.top_k, args.vote, args.vote_temperature)
    if not rows:
        raise SystemExit("no response was selected: every query lacked a correct or voted response")
    write_jsonl(args.out, rows)
    write_metrics(args.out, metrics)
    print(f"selected {len(rows)} responses for {metrics['queries_labeled']} labeled and {metrics['queries_unlabeled']} unlabeled queries")


if __name__ == "__main__":
    main()
