#!/usr/bin/env python3
"""score stage: score every rejection-sampling response with the reward model.

Launched with `accelerate launch --num_processes 8 score.py ...`: one process per GPU, each holding a
full bf16 copy of the RM (forward only, no DeepSpeed). Samples are cut into chunks of --chunk-size
rows; process r scores chunks r, r+8, ... and writes each finished chunk to --scratch, outside
{{ out }}, so an attempt retried after a preemption skips them. Within a chunk, responses are sorted
by length so a batch wastes little padding.

Writes each sample with "rm" (a real number; higher = more likely correct), in the input order.
metrics.json: samples, rm_mean, rm_std.
"""

from __future__ import annotations

import argparse
import math
import time

import torch
from accelerate import PartialState
from transformers import AutoTokenizer

from common import ChunkCache, file_fingerprint, read_jsonl, read_queries, write_scored
from hf_compat import add_dtype_arg, model_dtype
from rm_model import encode, load_reward_model, rm_kind, rm_text


@torch.inference_mode()
def score_rows(model, tokenizer, questions: dict[str, str], rows: list[dict], batch_size: int, max_length: int, kind: str = "listwise") -> list[dict]:
    texts = [rm_text(tokenizer, questions[str(r["id"])], r["response"], kind) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: len(texts[i]), reverse=True)  # longest first: an OOM shows at once
    scores = [0.0] * len(rows)
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        batch = encode(tokenizer, [texts[i] for i in index], max_length).to(model.device)
        for i, value in zip(index, model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).tolist()):
            scores[i] = value
    return [{**row, "rm": value} for row, value in zip(rows, scores)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rm", required=True, help="reward model folder from train_rm.py")
    parser.add_argument("--samples", required=True, help="samples JSONL from sample.py")
    parser.add_argument("--queries", action="append", required=True, help="query JSONL the samples came from (repeatable)")
    parser.add_argument("--batch-size", type=int, default=32, help="sequences per forward pass")
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--chunk-size", type=int, default=20000, help="samples per resumable chunk")
    parser.add_argument("--attn-implementation", default="sdpa")
    parser.add_argument("--poll-seconds", type=float, default=30, help="how often the main process looks for other ranks' chunks")
    add_dtype_arg(parser)
    parser.add_argument("--scratch", required=True, help="folder outside {{ out }} for finished chunks (kept across attempts)")
    parser.add_argument("--keep-scratch", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    state = PartialState()
    cache = ChunkCache(args.scratch, {"rm": args.rm, "samples": file_fingerprint(args.samples), "chunk_size": args.chunk_size})
    if state.is_main_process:
        cache.prepare()
    state.wait_for_everyone()
    finished = cache.finished()  # every process takes the same snapshot before any writes

    # Unfinished chunks are dealt round-robin, so a resumed attempt is balanced too; each process keeps
    # only the rows of its own chunks in memory.
    mine: dict[int, list[dict]] = {}
    total, unfinished, owner = 0, 0, None
    for total, row in enumerate(read_jsonl(args.samples), 1):
        chunk, first = divmod(total - 1, args.chunk_size)
        if first == 0:
            owner = None if chunk in finished else unfinished % state.num_processes
            unfinished += owner is not None
        if owner == state.process_index:
            mine.setdefault(chunk, []).append(row)
    count = math.ceil(total / args.chunk_size)

    if mine:
        questions = {str(q["id"]): q["question"] for q in read_queries(args.queries)}
        tokenizer = AutoTokenizer.from_pretrained(args.rm)
        model = load_reward_model(args.rm, tokenizer, model_dtype(args.dtype), args.attn_implementation)  # train_rm.py's, or TRL RewardTrainer's
        model.to(state.device).eval()
        for chunk, rows in sorted(mine.items()):
            cache.write(chunk, score_rows(model, tokenizer, questions, rows, args.batch_size, args.max_length, rm_kind(args.rm)))
            print(f"[rank {state.process_index}] chunk {chunk + 1}/{count} scored", flush=True)

    # The main process waits on the chunk files, not on a collective barrier that could time out while
    # a slower process finishes; if a process fails, accelerate launch stops the others.
    while state.is_main_process and not all(cache.done(i) for i in range(count)):
        time.sleep(args.poll_seconds)

    if state.is_main_process:
        scored = write_scored(args.out, cache.rows(count))
        if not args.keep_scratch:
            cache.remove()
        print(f"scored {scored} samples into {args.out}")


if __name__ == "__main__":
    main()
