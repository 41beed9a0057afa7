#!/usr/bin/env python3
"""train_sft stage: supervised fine-tuning of the base model with TRL's SFTTrainer.

Launched with `accelerate launch --use_deepspeed --deepspeed_config_file ds_zero3.json train_sft.py ...`.
Every iteration starts again from the base model (Qwen/Qwen2.5-Math-7B), as in the report: iteration 0
trains on the seed data, later iterations on the data the select stage built with the reward model.

Data: JSONL rows {"question", "response", ...} (select_sft.py's output, or the seed file). Each becomes a
conversational prompt/completion pair (system prompt + question -> response), so the loss is on the
response tokens only and the chat template puts <|im_end|> after each response. The saved model stops
on <|im_end|> as well as <|endoftext|>, so vLLM ends its samples there.

Checkpoints go to --scratch (outside {{ out }}, kept across attempts); a retried attempt resumes from
the latest one, and says from which global step. The final model is saved to --out with its tokenizer. metrics.json: loss (last logged
training loss), train_loss (mean), examples, steps.
"""

from __future__ import annotations

import argparse
import shutil

from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
from trl import SFTConfig, SFTTrainer

from common import CHATML, SYSTEM_PROMPT, read_jsonl, write_metrics
from hf_compat import add_training_args, data_workers, load_kwargs, model_dtype, trainer_args
from resume import last_checkpoint


def to_prompt_completion(row: dict) -> dict:
    return {
        "prompt": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": row["question"]}],
        "completion": [{"role": "assistant", "content": row["response"]}],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-model", required=True, help="model every iteration starts from")
    parser.add_argument("--data", required=True, help="SFT data JSONL")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--max-steps", type=int, default=-1,
                        help="optimizer steps to train whatever the data's size (-1: --epochs decides); a model trained "
                             "from scratch needs as many on the smaller selected data as on the seed data")
    parser.add_argument("--learning-rate", type=float, default=1e-5)
    parser.add_argument("--per-device-batch-size", type=int, default=4)
    parser.add_argument("--grad-accum", type=int, default=4, help="8 GPUs x 4 x 4 = 128 sequences per step")
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--save-steps", type=int, default=500)
    add_training_args(parser, logging_steps=10)
    parser.add_argument("--attn-implementation", default="sdpa", help="sdpa, or flash_attention_2 when flash-attn is installed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="checkpoint folder outside {{ out }}, kept across attempts")
    parser.add_argument("--out", required=True, help="folder to save the final model in")
    args = parser.parse_args()
    set_seed(args.seed)
    dtype = model_dtype(args.dtype)

    config = SFTConfig(  # created before the model, so ZeRO-3 partitions it while loading
        output_dir=args.scratch,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        per_device_train_batch_size=args.per_device_batch_size,
        gradient_accumulation_steps=args.grad_accum,
        max_length=args.max_length,
        completion_only_loss=True,
        dataset_num_proc=data_workers(8),
        **trainer_args(args, dtype),
    )
    rows = list(read_jsonl(args.data))  # read with json, not pyarrow: ids and answers may mix types
    if not rows:
        raise SystemExit(f"{args.data} is empty")
    bad = [i for i, row in enumerate(rows, 1) if not row.get("question") or not row.get("response")]
    if bad:
        raise SystemExit(f"{args.data}: {len(bad)} row(s) lack \"question\" or \"response\" (first: row {bad[0]})")
    dataset = Dataset.from_list([to_prompt_completion(row) for row in rows])

    tokenizer = AutoTokenizer.from_pretrained(args.base_model)
    if tokenizer.chat_template is None:
        tokenizer.chat_template = CHATML
    model = AutoModelForCausalLM.from_pretrained(args.base_model, **load_kwargs(dtype, args.attn_implementation))
    model.config.use_cache = False
    stop_ids = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>")]
    model.generation_config.eos_token_id = stop_ids  # saved with the model: samplers stop at the end of a turn

    trainer = SFTTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer)
    result = trainer.train(resume_from_checkpoint=last_checkpoint(args.scratch))
    trainer.save_model(args.out)

    if trainer.is_world_process_zero():
        losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
        write_metrics(args.out, {
            "loss": losses[-1] if losses else result.training_loss,
            "train_loss": result.training_loss,
            "examples": len(dataset),
            "steps": trainer.state.global_step,
        })
        shutil.rmtree(args.scratch, ignore_errors=True)  # the model is saved; checkpoints were only for resuming
    trainer.accelerator.wait_for_everyone()


if __name__ == "__main__":
    main()
