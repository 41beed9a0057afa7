#!/usr/bin/env python3
"""sample_rm / sample_sft stages: sample N responses per query from the SFT model with vLLM offline batch inference,
or with transformers `generate` where vLLM is not installed or there is no GPU (--engine auto; same output).

One vLLM engine per group of --tensor-parallel-size GPUs (data parallel: a 7B model fits one GPU, so eight
engines on eight GPUs), each in its own process with its own CUDA_VISIBLE_DEVICES. Queries are cut into
chunks; every finished chunk is written to --scratch, outside {{ out }}, so an attempt retried after a
preemption skips the chunks already done. Each chunk has its own sampling seed, so the result does not
depend on which engine ran it.

Without vLLM (a CPU, or a venv without it), chunks are generated in this process with transformers `generate`:
the same prompts, stop tokens, sampling parameters and per-chunk seeds, the same rows and chunk files.

Writes {"id", "response", "finish_reason", "num_tokens"} per response, in query order. metrics.json:
queries, samples, truncated_rate (responses cut at --max-tokens), mean_tokens, hours.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import os
import time
from typing import Iterator

from common import ChunkCache, file_fingerprint, messages, read_queries, write_jsonl, write_metrics


def _engine_worker(rank: int, gpu_ids: list[str], job: dict, chunks: dict[int, list[dict]], cache_dir: str) -> None:
    """Runs in its own process: one vLLM engine on `gpu_ids`, generating the chunks given to it."""
    os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(gpu_ids)
    from vllm import LLM, SamplingParams  # imported after CUDA_VISIBLE_DEVICES is set

    llm = LLM(
        model=job["model"],
        tensor_parallel_size=len(gpu_ids),
        dtype="bfloat16",
        max_model_len=job["max_model_len"],
        gpu_memory_utilization=job["gpu_memory_utilization"],
        enable_prefix_caching=True,  # the n samples of a query share its prompt
        seed=job["seed"],
    )
    tokenizer = llm.get_tokenizer()
    stop_ids = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>") if t in tokenizer.get_vocab()]
    cache = ChunkCache(cache_dir, {})  # only writes; the parent prepared the folder
    for index, batch in chunks.items():
        prompts = [tokenizer.apply_chat_template(messages(q["question"]), tokenize=False, add_generation_prompt=True) for q in batch]
        params = SamplingParams(
            n=job["n"],
            temperature=job["temperature"],
            top_p=job["top_p"] if job["temperature"] > 0 else 1.0,
            max_tokens=job["max_tokens"],
            stop_token_ids=stop_ids,
            seed=job["seed"] + index,
        )
        outputs = llm.generate(prompts, params, use_tqdm=rank == 0)
        cache.write(index, [
            {"id": q["id"], "response": o.text, "finish_reason": o.finish_reason, "num_tokens": len(o.token_ids)}
            for q, result in zip(batch, outputs)
            for o in result.outputs
        ])
        print(f"[engine {rank}] chunk {index} done ({len(batch)} queries)", flush=True)


def choose_engine(requested: str) -> str:
    """vllm when asked, or (auto) when it is installed and a GPU is visible; transformers otherwise."""
    if requested != "auto":
        return requested
    if importlib.util.find_spec("vllm") is None:
        return "transformers"
    try:
        import torch
    except ImportError:  # vLLM without torch is a stand-in (the tests'); the transformers engine needs torch too
        return "vllm"
    return "vllm" if torch.cuda.is_available() else "transformers"


def _transformers_generate(job: dict, chunks: dict[int, list[dict]], cache: ChunkCache) -> None:
    """vLLM's rows, from transformers `generate` in this process: left-padded batches, one seed per chunk."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from hf_compat import load_kwargs, model_dtype

    tokenizer = AutoTokenizer.from_pretrained(job["model"])
    tokenizer.padding_side = "left"  # generation continues from the last real token of every prompt
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = AutoModelForCausalLM.from_pretrained(job["model"], **load_kwargs(model_dtype(job["dtype"]), "sdpa")).to(device).eval()
    stop_ids = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>") if t in tokenizer.get_vocab()]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stop_ids[-1]
    sampling = job["temperature"] > 0
    for index, batch in chunks.items():
        torch.manual_seed(job["seed"] + index)
        rows = []
        for start in range(0, len(batch), job["batch_size"]):
            part = batch[start:start + job["batch_size"]]
            prompts = [tokenizer.apply_chat_template(messages(q["question"]), tokenize=False, add_generation_prompt=True) for q in part]
            encoded = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
            with torch.inference_mode():
                output = model.generate(
                    **encoded,
                    do_sample=sampling,
                    temperature=job["temperature"] if sampling else None,
                    top_p=job["top_p"] if sampling else None,
                    top_k=0 if sampling else None,  # as vLLM's default: no top-k cut, only top-p
                    num_return_sequences=job["n"],
                    max_new_tokens=job["max_tokens"],
                    eos_token_id=stop_ids,
                    pad_token_id=pad_id,
                )
            new = output[:, encoded["input_ids"].shape[1]:].tolist()
            for k, tokens in enumerate(new):
                ended = next((i for i, t in enumerate(tokens) if t in stop_ids), None)
                kept = tokens if ended is None else tokens[:ended]
                rows.append({
                    "id": part[k // job["n"]]["id"],
                    "response": tokenizer.decode(kept, skip_special_tokens=True),
                    "finish_reason": "length" if ended is None else "stop",
                    "num_tokens": len(kept) + (ended is not None),  # as vLLM: the stop token counts
                })
        cache.write(index, rows)
        print(f"[transformers] chunk {index} done ({len(batch)} queries)", flush=True)


def generate(queries: list[dict], job: dict, cache: ChunkCache, gpus: int, tensor_parallel: int) -> Iterator[dict]:
    """Samples job["n"] responses for every query on `gpus` GPUs; yields the rows in query order."""
    cache.prepare()
    size = job["chunk_size"]
    count = (len(queries) + size - 1) // size
    todo = [i for i in range(count) if not cache.done(i)]
    if job["engine"] == "transformers":
        print(f"{len(queries)} queries in {count} chunks, {count - len(todo)} already done; transformers generate", flush=True)
        _transformers_generate(job, {i: queries[i * size:(i + 1) * size] for i in todo}, cache)
        return cache.rows(count)
    # Slurm sets CUDA_VISIBLE_DEVICES to the job's GPUs; the engines split those among themselves.
    visible = [g for g in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if g] or [str(g) for g in range(gpus)]
    engines = max(1, min(gpus, len(visible)) // tensor_parallel)
    print(f"{len(queries)} queries in {count} chunks, {count - len(todo)} already done; {engines} vLLM engine(s)", flush=True)
    if todo:
        ctx = mp.get_context("spawn")  # CUDA and vLLM need a fresh interpreter per engine
        workers = []
        for rank in range(min(engines, len(todo))):
            gpu_ids = visible[rank * tensor_parallel : (rank + 1) * tensor_parallel]
            chunks = {i: queries[i * size : (i + 1) * size] for i in todo[rank::engines]}
            worker = ctx.Process(target=_engine_worker, args=(rank, gpu_ids, job, chunks, str(cache.folder)))
            worker.start()
            workers.append(worker)
        for worker in workers:
            worker.join()
        failed = [rank for rank, worker in enumerate(workers) if worker.exitcode != 0]
        if failed:
            raise SystemExit(f"vLLM engine(s) {failed} failed; finished chunks stay in {cache.folder} for the retry")
    return cache.rows(count)


def add_engine_args(parser: argparse.ArgumentParser) -> None:
    """Arguments shared with eval.py."""
    parser.add_argument("--model", required=True, help="model folder or Hub id")
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--max-model-len", type=int, default=4096, help="Qwen2.5-Math-7B's context is 4096 tokens")
    parser.add_argument("--gpus", type=int, default=int(os.environ.get("LOOP_GPUS") or 1), help="GPUs to use (default $LOOP_GPUS)")
    parser.add_argument("--tensor-parallel-size", type=int, default=1, help="GPUs per vLLM engine")
    parser.add_argument("--gpu-memory-utilization", type=float, default=0.9)
    parser.add_argument("--chunk-size", type=int, default=2000, help="queries per resumable chunk")
    parser.add_argument("--engine", default="auto", choices=["auto", "vllm", "transformers"],
                        help="auto: vLLM where it is installed and a GPU is visible, else transformers generate")
    parser.add_argument("--batch-size", type=int, default=64, help="prompts per generate call (transformers engine)")
    parser.add_argument("--dtype", default="auto", choices=["auto", "bf16", "fp32"], help="transformers engine: auto is bf16 on a GPU")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="folder outside {{ out }} for finished chunks (kept across attempts)")
    parser.add_argument("--keep-scratch", action="store_true", help="keep --scratch after success")
    parser.add_argument("--out", required=True)


def engine_job(args: argparse.Namespace, n: int, temperature: float, top_p: float) -> dict:
    return {
        "model": args.model, "n": n, "temperature": temperature, "top_p": top_p, "max_tokens": args.max_tokens,
        "max_model_len": args.max_model_len, "gpu_memory_utilization": args.gpu_memory_utilization,
        "chunk_size": args.chunk_size, "seed": args.seed, "engine": choose_engine(args.engine),
        "batch_size": args.batch_size, "dtype": args.dtype,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_engine_args(parser)
    parser.add_argument("--queries", action="append", required=True, help="query JSONL (repeatable)")
    parser.add_argument("--n", type=int, required=True, help="responses per query (6 for RM data, 8 for rejection sampling)")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--top-p", type=float, default=0.8)
    args = parser.parse_args()

    started = time.time()
    queries = read_queries(args.queries)
    job = engine_job(args, args.n, args.temperature, args.top_p)
    cache = ChunkCache(args.scratch, {**job, "queries": [file_fingerprint(q) for q in args.queries]})
    stats = {"samples": 0, "truncated": 0, "tokens": 0}

    def counted(rows: Iterator[dict]) -> Iterator[dict]:  # streams: sample_sft can hold millions of responses
        for row in rows:
            stats["samples"] += 1
            stats["truncated"] += row["finish_reason"] == "length"
            stats["tokens"] += row["num_tokens"]
            yield row

    write_jsonl(args.out, counted(generate(queries, job, cache, args.gpus, args.tensor_parallel_size)))
    samples = max(1, stats["samples"])
    write_metrics(args.out, {
        "queries": len(queries),
        "samples": stats["samples"],
        "truncated_rate": stats["truncated"] / samples,
        "mean_tokens": stats["tokens"] / samples,
        "hours": (time.time() - started) / 3600,
    })
    if not args.keep_scratch:
        cache.remove()
    print(f"wrote {stats['samples']} responses to {args.out}")


if __name__ == "__main__":
    main()
