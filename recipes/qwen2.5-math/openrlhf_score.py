#!/usr/bin/env python3
"""score stage, OpenRLHF variant: score every rejection-sampling response with OpenRLHF's batch inference in
reward-model mode (`deepspeed --module openrlhf.cli.batch_inference --eval_task rm`), on the RM openrlhf_rm.py trained.

Each sample becomes {"input": PROMPT, "output": RESPONSE_AND_END}: the chat prompt rendered with the RM's chat
template and system prompt, and what follows it in the whole chat (openrlhf_io.rm_row), so OpenRLHF scores the
text it trained on: (input + output) without the final newline, plus " " + eos. It writes {"input", "output",
"reward"}, normalised with the mean and std train_rm stored in the RM's config.json, rank files concatenated;
openrlhf_io.join_rewards matches them back on (input, output). Chunks of --chunk-size samples are one run each,
kept in --scratch (outside {{ out }}): a retried attempt skips the finished ones.

Writes each sample with "rm" in input order (score.py's output). metrics.json: samples, rm_mean, rm_std.
Needs the OpenRLHF venv (openrlhf==0.9.1, deepspeed).
"""

from __future__ import annotations

import argparse
import subprocess
from itertools import islice

from common import ChunkCache, file_fingerprint, messages, read_jsonl, read_queries, write_jsonl, write_scored
from openrlhf_io import join_rewards, rm_row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rm", required=True, help="the RM folder openrlhf_rm.py wrote")
    parser.add_argument("--samples", required=True)
    parser.add_argument("--queries", action="append", required=True, help="query JSONL the samples came from (repeatable)")
    parser.add_argument("--max-length", type=int, default=4096, help="batch_inference --max_len")
    parser.add_argument("--micro-batch-size", type=int, default=16)
    parser.add_argument("--gpus", type=int, default=8)
    parser.add_argument("--chunk-size", type=int, default=200000, help="samples per resumable batch_inference run")
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from transformers import AutoTokenizer  # the OpenRLHF venv

    tokenizer = AutoTokenizer.from_pretrained(args.rm)
    questions = {str(q["id"]): q["question"] for q in read_queries(args.queries)}
    cache = ChunkCache(args.scratch, {"rm": args.rm, "samples": file_fingerprint(args.samples), "chunk_size": args.chunk_size})
    cache.prepare()

    def key(sample: dict) -> dict:
        question = questions.get(str(sample["id"]))
        if question is None:
            raise SystemExit(f"{args.samples}: sample of unknown query {sample['id']!r}; pass the queries it was sampled from")
        prompt = tokenizer.apply_chat_template(messages(question), tokenize=False, add_generation_prompt=True)
        return rm_row(prompt, tokenizer.apply_chat_template(messages(question, sample["response"]), tokenize=False))

    samples = read_jsonl(args.samples)
    index = 0
    while True:
        chunk = list(islice(samples, args.chunk_size))
        if not chunk:
            break
        if not cache.done(index):
            keys = [key(s) for s in chunk]
            inputs, raw = cache.folder / f"rm-input-{index:06d}.jsonl", cache.folder / f"rm-output-{index:06d}.jsonl"
            write_jsonl(inputs, keys)
            cmd = ["deepspeed", "--num_gpus", str(args.gpus), "--module", "openrlhf.cli.batch_inference", "--eval_task", "rm",
                   "--pretrain", args.rm, "--dataset", str(inputs), "--input_key", "input", "--output_key", "output",
                   "--max_len", str(args.max_length), "--micro_batch_size", str(args.micro_batch_size),
                   "--zero_stage", "0", "--bf16", "--output_path", str(raw)]
            done = subprocess.run(cmd)
            if done.returncode != 0:
                raise SystemExit(f"batch_inference --eval_task rm exited with code {done.returncode} on chunk {index + 1}")
            cache.write(index, list(join_rewards(chunk, keys, read_jsonl(raw))))
            for leftover in cache.folder.glob(f"rm-*-{index:06d}.jsonl*"):  # with the rank files OpenRLHF leaves
                leftover.unlink()
            print(f"chunk {index + 1} scored ({len(chunk)} samples)", flush=True)
        index += 1

    scored = write_scored(args.out, cache.rows(index))
    cache.remove()
    print(f"scored {scored} samples into {args.out}")


if __name__ == "__main__":
    main()
