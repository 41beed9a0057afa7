#!/usr/bin/env python3
"""train_rm stage, TRL variant (recipes/qwen2.5-math-trl.yaml): a pairwise RM with TRL's RewardTrainer.

Launched with `accelerate launch --use_deepspeed --deepspeed_config_file ds_zero3.json train_rm_trl.py ...`.

**Not the report's loss.** The report trains its RM with a listwise loss over each query's 6 responses and a
two-layer MLP head (train_rm.py). RewardTrainer is pairwise: -log sigmoid(r_chosen - r_rejected) per (correct,
wrong) pair of one query, on AutoModelForSequenceClassification (one linear head, pooled at the last non-pad
token). The pairs come from grade's output through `loop data rm-data --pairs` (rm_pairs.py): every correct
response of a query's first 6 distinct ones against every wrong one, so a query with k right and 6-k wrong gives
k(6-k) pairs and weighs more than in the listwise loss, where each query is one term.

Data: conversational, implicit prompt ({"chosen": [system, user, assistant], "rejected": [...]}), which TRL 0.21's
RewardTrainer turns into text with the SFT model's chat template (the same text score.py and shaped_reward.py read).
A share of the queries (--eval-fraction) is held out, with all their pairs; eval_pair_accuracy is RewardTrainer's
eval_accuracy there (chosen scored above rejected).

Checkpoints go to --scratch (outside {{ out }}); a retried attempt resumes from the newest. The RM is saved to
--out with its tokenizer. metrics.json: loss, train_loss, eval_loss, eval_pair_accuracy (the names train_rm.py
uses), pairs, pair_queries, and the trainer's other logged values through trainer_state_metrics.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from accelerate import PartialState
from datasets import Dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, set_seed
from trl import RewardConfig, RewardTrainer

from common import read_jsonl, write_metrics
from hf_compat import add_training_args, load_kwargs, model_dtype, trainer_args
from resume import last_checkpoint
from rm_pairs import build_pairs, split_by_query
from trainer_state_metrics import metrics_from_state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="the SFT model the RM starts from (M_sft(i-1))")
    parser.add_argument("--data", required=True, help="grade's output: samples with \"correct\"")
    parser.add_argument("--queries", required=True, help="the RM queries (their questions)")
    parser.add_argument("--group", type=int, default=6, help="responses per query the pairs come from (the report: 6)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=5e-6)
    parser.add_argument("--per-device-batch-size", type=int, default=4, help="pairs per GPU per step")
    parser.add_argument("--grad-accum", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=4096, help="RewardTrainer drops longer pairs")
    parser.add_argument("--eval-fraction", type=float, default=0.02)
    parser.add_argument("--save-steps", type=int, default=200)
    add_training_args(parser, logging_steps=10)
    parser.add_argument("--attn-implementation", default="sdpa")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="checkpoints and the pairs file, outside {{ out }}, kept across attempts")
    parser.add_argument("--out", required=True, help="folder to save the RM in")
    args = parser.parse_args()
    set_seed(args.seed)
    dtype = model_dtype(args.dtype)

    state = PartialState()
    raw = Path(args.scratch) / "rm-pairs.jsonl"
    if state.is_main_process:  # one process runs loop data rm-data; the others read its file
        raw.parent.mkdir(parents=True, exist_ok=True)
        build_pairs(args.data, args.queries, raw, args.group)
    state.wait_for_everyone()
    pairs = list(read_jsonl(raw))
    train_rows, eval_rows = split_by_query(pairs, "trl", args.eval_fraction, args.seed)
    if not train_rows:
        raise SystemExit(f"{args.data}: no query has both a correct and a wrong response among its first {args.group}")

    config = RewardConfig(  # created before the model, so ZeRO-3 partitions it while loading
        output_dir=str(Path(args.scratch) / "trainer"),
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        per_device_train_batch_size=args.per_device_batch_size,
        per_device_eval_batch_size=args.per_device_batch_size,
        gradient_accumulation_steps=args.grad_accum,
        max_length=args.max_length,
        **trainer_args(args, dtype),
    )
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(args.model, num_labels=1,
                                                               **load_kwargs(dtype, args.attn_implementation))
    model.config.pad_token_id = tokenizer.pad_token_id  # the head pools at the last non-pad token
    model.config.use_cache = False

    trainer = RewardTrainer(model=model, args=config, processing_class=tokenizer, train_dataset=Dataset.from_list(train_rows),
                            eval_dataset=Dataset.from_list(eval_rows) if eval_rows else None)
    result = trainer.train(resume_from_checkpoint=last_checkpoint(config.output_dir))
    trainer.save_model(args.out)
    evaluation = trainer.evaluate() if eval_rows else {}

    if trainer.is_world_process_zero():
        logged = metrics_from_state({"log_history": trainer.state.log_history, "global_step": trainer.state.global_step})
        write_metrics(args.out, {
            **logged,
            "train_loss": result.training_loss,
            **({"eval_loss": evaluation["eval_loss"], "eval_pair_accuracy": evaluation["eval_accuracy"]} if evaluation else {}),
            "pairs": len(pairs),
            "pair_queries": len({str(p["id"]) for p in pairs}),
        })
        shutil.rmtree(args.scratch, ignore_errors=True)  # the RM is saved; checkpoints were only for resuming
    trainer.accelerator.wait_for_everyone()


if __name__ == "__main__":
    main()
