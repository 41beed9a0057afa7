#!/usr/bin/env python3
"""train_sft stage, OpenRLHF variant: supervised fine-tuning with `deepspeed --module openrlhf.cli.train_sft`.

Every iteration starts from the base model again, as in the report. The SFT rows {"question", "response"}
(select's output, or the seed file) are written as chat messages to --scratch (openrlhf_io.sft_row:
{"prompt": [system, user], "response": [assistant]}) and read with --apply_chat_template --input_key prompt
--output_key response, so the loss is on the response (OpenRLHF masks the prompt) and OpenRLHF appends the
tokenizer's eos after the turn. A base tokenizer without a chat template gets ChatML (--tokenizer_chat_template),
saved with the model so the later stages render prompts the same way.

OpenRLHF saves the final model to --out (a Hugging Face folder, --save_path) and its DeepSpeed checkpoints to
--scratch/ckpt (--ckpt_path, --load_checkpoint: a retried attempt resumes there). Afterwards the model's
generation_config stops on <|im_end|> as well as its eos, so vLLM ends samples at the end of the turn.

metrics.json (tensorboard_metrics.py on --use_tensorboard's events): train_gpt_loss, train_loss_mean, ... ,
steps, plus loss (the last train/gpt_loss, the name train_sft.py writes) and examples. Extra train_sft options
may follow `--`. Needs the OpenRLHF venv (openrlhf==0.9.1, deepspeed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from common import CHATML, read_jsonl, write_jsonl, write_metrics
from openrlhf_io import checked_extra, sft_row
from run_with_reward_server import run_logged
from tensorboard_metrics import metrics_from_events


def main() -> None:
    argv = sys.argv[1:]
    extra = checked_extra(argv[argv.index("--") + 1:] if "--" in argv else [])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-model", required=True, help="model every iteration starts from")
    parser.add_argument("--data", required=True, help="SFT data JSONL {\"question\", \"response\"}")
    parser.add_argument("--epochs", type=int, default=3, help="OpenRLHF counts whole epochs")
    parser.add_argument("--learning-rate", type=float, default=1e-5)
    parser.add_argument("--train-batch-size", type=int, default=128, help="sequences per optimizer step, all GPUs")
    parser.add_argument("--micro-batch-size", type=int, default=4, help="sequences per GPU per forward pass")
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--save-steps", type=int, default=500)
    parser.add_argument("--gpus", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="data, checkpoints and TensorBoard events, outside {{ out }}")
    parser.add_argument("--out", required=True, help="folder to save the final model in")
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)

    from transformers import AutoTokenizer, GenerationConfig  # the OpenRLHF venv

    rows = list(read_jsonl(args.data))
    bad = [i for i, row in enumerate(rows, 1) if not row.get("question") or not row.get("response")]
    if not rows or bad:
        raise SystemExit(f"{args.data} is empty" if not rows else f"{args.data}: {len(bad)} row(s) lack \"question\" or \"response\" (first: row {bad[0]})")
    scratch = Path(args.scratch)
    data = scratch / "sft-openrlhf.jsonl"
    write_jsonl(data, (sft_row(row) for row in rows))
    template = [] if AutoTokenizer.from_pretrained(args.base_model).chat_template else ["--tokenizer_chat_template", CHATML]

    tb = scratch / "tb"
    cmd = ["deepspeed", "--num_gpus", str(args.gpus), "--module", "openrlhf.cli.train_sft",
           "--pretrain", args.base_model, "--dataset", str(data), "--input_key", "prompt", "--output_key", "response",
           "--apply_chat_template", *template, "--max_len", str(args.max_length),
           "--max_epochs", str(args.epochs), "--learning_rate", str(args.learning_rate),
           "--train_batch_size", str(args.train_batch_size), "--micro_train_batch_size", str(args.micro_batch_size),
           "--zero_stage", "3", "--bf16", "--gradient_checkpointing", "--seed", str(args.seed),
           "--save_path", args.out, "--ckpt_path", str(scratch / "ckpt"), "--load_checkpoint", "--save_steps", str(args.save_steps),
           "--logging_steps", "10", "--use_tensorboard", str(tb), *extra]
    run_logged(cmd, scratch / "train.log")

    tokenizer = AutoTokenizer.from_pretrained(args.out)
    try:
        generation = GenerationConfig.from_pretrained(args.out)
    except OSError:  # saved without a generation_config.json
        generation = GenerationConfig(eos_token_id=tokenizer.eos_token_id)
    stops = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>") if t in tokenizer.get_vocab()]
    eos = generation.eos_token_id if isinstance(generation.eos_token_id, list) else [generation.eos_token_id]
    generation.eos_token_id = sorted({*stops, *(e for e in eos if e is not None)})
    generation.save_pretrained(args.out)

    metrics = metrics_from_events(tb)
    write_metrics(args.out, {**metrics, **({"loss": metrics["train_gpt_loss"]} if "train_gpt_loss" in metrics else {}), "examples": len(rows)})
    shutil.rmtree(scratch, ignore_errors=True)  # the model is saved; checkpoints were only for resuming


if __name__ == "__main__":
    main()
