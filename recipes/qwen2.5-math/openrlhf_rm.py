#!/usr/bin/env python3
"""train_rm stage, OpenRLHF variant: a pairwise RM with `deepspeed --module openrlhf.cli.train_rm`.

**Not the report's loss.** The report's RM is trained listwise over each query's 6 responses with an MLP head
(train_rm.py). OpenRLHF's train_rm is pairwise (--loss sigmoid: -log sigmoid(r_chosen - r_rejected)) with a
linear value head on the last token. Its pairs come from grade's output through `loop data rm-data --pairs`
(rm_pairs.py): every correct response of a query's first 6 distinct ones against every wrong one, as
{"prompt": [system, user], "chosen": [assistant], "rejected": [assistant]}, read with --prompt_key prompt
--chosen_key chosen --rejected_key rejected --apply_chat_template. A share of the queries (--eval-fraction)
is held out as --eval_dataset; OpenRLHF evaluates on it each epoch and stores the held-out reward mean and std
in the RM's config.json, which batch_inference and reward_server.py use to normalise scores.

The RM starts from the current SFT model M_sft(i-1) and is saved to --out (--save_path; its config carries
value_head_prefix, which rm_kind.py recognises); DeepSpeed checkpoints go to --scratch/ckpt (--load_checkpoint).

metrics.json (tensorboard_metrics.py): train_loss, train_acc, train_chosen_reward, eval_eval_loss, eval_acc_mean, ...,
plus loss, eval_loss and eval_pair_accuracy (the names train_rm.py writes), pairs and pair_queries. Extra
train_rm options may follow `--`. Needs the OpenRLHF venv (openrlhf==0.9.1, deepspeed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from common import read_jsonl, write_jsonl, write_metrics
from openrlhf_io import checked_extra
from rm_pairs import build_pairs, split_by_query
from run_with_reward_server import run_logged
from tensorboard_metrics import metrics_from_events

# OpenRLHF's TensorBoard tags -> the metric names train_rm.py writes, so every variant reports train_rm.loss etc.
ALIASES = {"loss": "train_loss", "eval_loss": "eval_eval_loss", "eval_pair_accuracy": "eval_acc_mean"}


def with_aliases(metrics: dict) -> dict:
    return {**metrics, **{name: metrics[tag] for name, tag in ALIASES.items() if tag in metrics}}


def main() -> None:
    argv = sys.argv[1:]
    extra = checked_extra(argv[argv.index("--") + 1:] if "--" in argv else [])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="the SFT model the RM starts from (M_sft(i-1))")
    parser.add_argument("--data", required=True, help="grade's output: samples with \"correct\"")
    parser.add_argument("--queries", required=True, help="the RM queries (their questions)")
    parser.add_argument("--group", type=int, default=6, help="responses per query the pairs come from (the report: 6)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=5e-6)
    parser.add_argument("--train-batch-size", type=int, default=128, help="pairs per optimizer step, all GPUs")
    parser.add_argument("--micro-batch-size", type=int, default=1, help="pairs per GPU per forward pass")
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--eval-fraction", type=float, default=0.02)
    parser.add_argument("--save-steps", type=int, default=200)
    parser.add_argument("--gpus", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="pairs, checkpoints and TensorBoard events, outside {{ out }}")
    parser.add_argument("--out", required=True, help="folder to save the RM in")
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)

    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    build_pairs(args.data, args.queries, scratch / "rm-pairs.jsonl", args.group)
    pairs = list(read_jsonl(scratch / "rm-pairs.jsonl"))
    train_rows, eval_rows = split_by_query(pairs, "openrlhf", args.eval_fraction, args.seed)
    if not train_rows or not eval_rows:
        raise SystemExit(f"{args.data}: {len(pairs)} pairs from {len({p['id'] for p in pairs})} queries; the RM needs "
                         f"pairs from at least 2 queries (one held out), with both a correct and a wrong response among their first {args.group}")
    write_jsonl(scratch / "train.jsonl", train_rows)
    write_jsonl(scratch / "eval.jsonl", eval_rows)

    tb = scratch / "tb"
    cmd = ["deepspeed", "--num_gpus", str(args.gpus), "--module", "openrlhf.cli.train_rm",
           "--pretrain", args.model, "--dataset", str(scratch / "train.jsonl"), "--eval_dataset", str(scratch / "eval.jsonl"),
           "--prompt_key", "prompt", "--chosen_key", "chosen", "--rejected_key", "rejected", "--apply_chat_template",
           "--max_len", str(args.max_length), "--max_epochs", str(args.epochs), "--learning_rate", str(args.learning_rate),
           "--train_batch_size", str(args.train_batch_size), "--micro_train_batch_size", str(args.micro_batch_size),
           "--loss", "sigmoid", "--value_head_prefix", "score",
           "--zero_stage", "3", "--bf16", "--gradient_checkpointing", "--seed", str(args.seed),
           "--save_path", args.out, "--ckpt_path", str(scratch / "ckpt"), "--load_checkpoint", "--save_steps", str(args.save_steps),
           "--logging_steps", "10", "--use_tensorboard", str(tb), *extra]
    run_logged(cmd, scratch / "train.log")

    write_metrics(args.out, {**with_aliases(metrics_from_events(tb)), "pairs": len(pairs), "pair_queries": len({str(p["id"]) for p in pairs})})
    shutil.rmtree(scratch, ignore_errors=True)  # the RM is saved; checkpoints were only for resuming


if __name__ == "__main__":
    main()
