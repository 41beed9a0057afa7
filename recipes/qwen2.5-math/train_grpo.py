#!/usr/bin/env python3
"""rl_train stage: GRPO from the final SFT model with the final RM, with TRL's GRPOTrainer.

Launched with `accelerate launch --use_deepspeed --deepspeed_config_file ds_zero3.json train_grpo.py ...`.
The prompts are rl_filter.py's kept queries (2 to 5 of 8 right); each step samples --num-generations (8)
completions per prompt, rewards each with shaped_reward.ShapedReward (sigmoid(0.5 * rm) + (correct - 1),
graded by rule against the query's answer, scored by the final RM), and takes GRPO's group-normalized policy
gradient step. Checkpoints go to --scratch (kept across attempts, resumed from); the final policy goes to --out.
metrics.json comes from trainer_state.json's log history (trainer_state_metrics.py): reward, reward_std, kl,
loss, rewards_shaped_reward_mean, completions_mean_length, steps, and prompts.
"""

from __future__ import annotations

import argparse
import shutil

from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
from trl import GRPOConfig, GRPOTrainer

from common import SYSTEM_PROMPT, read_jsonl, write_metrics
from hf_compat import add_training_args, load_kwargs, make_config, model_dtype, trainer_args
from resume import last_checkpoint
from shaped_reward import ShapedReward
from trainer_state_metrics import metrics_from_state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="the final SFT model (train_sft's output)")
    parser.add_argument("--rm", required=True, help="the final RM (train_rm's output)")
    parser.add_argument("--queries", required=True, help="rl_filter.py's kept queries")
    parser.add_argument("--num-generations", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--epochs", type=float, default=1)
    parser.add_argument("--learning-rate", type=float, default=1e-6)
    parser.add_argument("--beta", type=float, default=0.0, help="KL coefficient (0: no reference model, as recent GRPO practice)")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--max-prompt-length", type=int, default=1024)
    parser.add_argument("--max-completion-length", type=int, default=2048)
    parser.add_argument("--per-device-batch-size", type=int, default=8)
    parser.add_argument("--grad-accum", type=int, default=4)
    parser.add_argument("--save-steps", type=int, default=50)
    add_training_args(parser, logging_steps=1, warmup_ratio=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="checkpoint folder kept across attempts")
    parser.add_argument("--out", required=True, help="folder for the RL policy")
    args = parser.parse_args()
    set_seed(args.seed)
    dtype = model_dtype(args.dtype)

    rows = list(read_jsonl(args.queries))
    if not rows:
        raise SystemExit(f"{args.queries} is empty: rl_filter kept no query; loosen --min/--max or sample more RL queries")
    dataset = Dataset.from_list([
        {"prompt": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": r["question"]}],
         "question": r["question"], "answer": str(r["answer"])}
        for r in rows
    ])
    config = make_config(
        GRPOConfig,
        # TRL 1 dropped max_prompt_length (prompts are no longer cut); TRL 0.x still takes it.
        optional={"max_prompt_length": args.max_prompt_length},
        output_dir=args.scratch,
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        beta=args.beta,
        num_generations=args.num_generations,
        temperature=args.temperature,
        max_completion_length=args.max_completion_length,
        per_device_train_batch_size=args.per_device_batch_size,
        gradient_accumulation_steps=args.grad_accum,
        **trainer_args(args, dtype),
    )
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, **load_kwargs(dtype, "sdpa"))
    trainer = GRPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                          reward_funcs=[ShapedReward(args.rm, alpha=args.alpha, dtype=dtype)])
    trainer.train(resume_from_checkpoint=last_checkpoint(args.scratch))
    trainer.save_model(args.out)
    if trainer.is_world_process_zero():
        metrics = metrics_from_state({"log_history": trainer.state.log_history, "global_step": trainer.state.global_step})
        write_metrics(args.out, {**metrics, "prompts": len(rows)})
        shutil.rmtree(args.scratch, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()


if __name__ == "__main__":
    main()
