#!/usr/bin/env python3
"""sample_rm / sample_sft / rl_sample stages, OpenRLHF variant: OpenRLHF's batch inference with vLLM.

Each chunk of --chunk-size queries is one `python3 -m openrlhf.cli.batch_inference --eval_task generate_vllm
--best_of_n N --iter K --rollout_batch_size C` run on its own GPU(s) (data parallel: --gpus / --tp-size runs at a
time). The prompts file holds each query's chat prompt already rendered with the model's chat template and the
recipe's system prompt (openrlhf_io.prompt_rows), so no --apply_chat_template. A finished chunk is kept in
--scratch (outside {{ out }}): a retried attempt skips it. openrlhf_io.join_generations maps OpenRLHF's
{"input", "output"} rows back to the queries.

Writes {"id", "response"} per response, a query's n together, in query order (sample.py's layout, without its
finish_reason/num_tokens: batch_inference does not report them). metrics.json: queries, samples, mean_chars,
empty_rate, hours. Needs the OpenRLHF venv (openrlhf[vllm]==0.9.1).
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import ChunkCache, file_fingerprint, messages, read_jsonl, read_queries, write_jsonl, write_metrics
from openrlhf_io import join_generations, prompt_rows


def generate_chunk(args, index: int, count: int, gpu_ids: list[str], prompts_file: Path, cache: ChunkCache,
                   queries: list[dict], prompts: list[dict]) -> None:
    """One batch_inference run for chunk `index` on `gpu_ids`; its rows joined back to their queries and cached."""
    raw = cache.folder / f"raw-{index:06d}.jsonl"
    cmd = [sys.executable, "-m", "openrlhf.cli.batch_inference", "--eval_task", "generate_vllm",
           "--pretrain", args.model, "--dataset", str(prompts_file), "--input_key", "input",
           "--iter", str(index), "--rollout_batch_size", str(args.chunk_size),
           "--best_of_n", str(args.n), "--temperature", str(args.temperature), "--top_p", str(args.top_p),
           "--max_new_tokens", str(args.max_tokens), "--prompt_max_len", str(args.max_prompt_length),
           "--tp_size", str(len(gpu_ids)), "--max_num_seqs", str(args.max_num_seqs), "--enable_prefix_caching",
           "--seed", str(args.seed + index), "--output_path", str(raw)]
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ",".join(gpu_ids)}
    done = subprocess.run(cmd, env=env)
    if done.returncode != 0:
        raise SystemExit(f"batch_inference exited with code {done.returncode} on chunk {index + 1}/{count}")
    start = index * args.chunk_size
    chunk_queries, chunk_prompts = queries[start:start + args.chunk_size], prompts[start:start + args.chunk_size]
    cache.write(index, list(join_generations(chunk_queries, chunk_prompts, read_jsonl(raw), args.n)))
    raw.unlink()
    print(f"chunk {index + 1}/{count} done ({len(chunk_queries)} queries) on GPU {','.join(gpu_ids)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="the SFT model folder")
    parser.add_argument("--queries", action="append", required=True, help="query JSONL (repeatable)")
    parser.add_argument("--n", type=int, required=True, help="responses per query (batch_inference --best_of_n)")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--top-p", type=float, default=0.8)
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--max-prompt-length", type=int, default=1024)
    parser.add_argument("--gpus", type=int, default=8)
    parser.add_argument("--tp-size", type=int, default=1, help="GPUs per vLLM engine (a 7B model fits one)")
    parser.add_argument("--max-num-seqs", type=int, default=256)
    parser.add_argument("--chunk-size", type=int, default=2000, help="queries per resumable batch_inference run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="folder outside {{ out }} for finished chunks (kept across attempts)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.gpus % args.tp_size:
        raise SystemExit(f"--gpus {args.gpus} is not a multiple of --tp-size {args.tp_size}")
    began = time.time()

    from transformers import AutoTokenizer  # the OpenRLHF venv

    queries = read_queries(args.queries)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    prompts = prompt_rows(queries, lambda q: tokenizer.apply_chat_template(messages(q), tokenize=False, add_generation_prompt=True))
    fingerprint = {"model": args.model, "queries": [file_fingerprint(q) for q in args.queries], "n": args.n,
                   "temperature": args.temperature, "top_p": args.top_p, "max_tokens": args.max_tokens,
                   "chunk_size": args.chunk_size, "seed": args.seed}
    cache = ChunkCache(args.scratch, fingerprint)
    cache.prepare()
    prompts_file = cache.folder / "prompts.jsonl"
    write_jsonl(prompts_file, prompts)

    count = (len(queries) + args.chunk_size - 1) // args.chunk_size
    todo = [i for i in range(count) if not cache.done(i)]
    engines = [[str(g) for g in range(e * args.tp_size, (e + 1) * args.tp_size)] for e in range(args.gpus // args.tp_size)]
    print(f"{len(queries)} queries x {args.n}: {count} chunks, {count - len(todo)} already done, {len(engines)} engines", flush=True)
    with ThreadPoolExecutor(max_workers=len(engines)) as pool:
        slots: queue.Queue[int] = queue.Queue()  # engine slots: a thread takes one for a chunk and gives it back
        for slot in range(len(engines)):
            slots.put(slot)

        def run(index: int) -> None:
            slot = slots.get()
            try:
                generate_chunk(args, index, count, engines[slot], prompts_file, cache, queries, prompts)
            finally:
                slots.put(slot)

        for future in [pool.submit(run, i) for i in todo]:
            future.result()

    stats = {"samples": 0, "chars": 0, "empty": 0}

    def counted(rows):
        for row in rows:
            stats["samples"] += 1
            stats["chars"] += len(row["response"])
            stats["empty"] += not row["response"].strip()
            yield row

    write_jsonl(args.out, counted(cache.rows(count)))
    n = max(1, stats["samples"])
    write_metrics(args.out, {"queries": len(queries), "samples": stats["samples"], "mean_chars": stats["chars"] / n,
                             "empty_rate": stats["empty"] / n, "hours": (time.time() - began) / 3600})
    cache.remove()
    print(f"wrote {stats['samples']} responses to {args.out}")


if __name__ == "__main__":
    main()
