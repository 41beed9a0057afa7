#!/usr/bin/env python3
"""rl_train stage, OpenRLHF variant: GRPO with OpenRLHF's train_ppo_ray (--advantage_estimator group_norm, no
critic), the shaped reward from reward_server.py through --remote_rm_url, then the stage contract.

1. reward_server.py with the final RM on 127.0.0.1:--port; OpenRLHF posts {"query", "prompts", "labels"} to
   /get_reward (labels are the queries' "answer", via --label_key answer). The prompts are written to --scratch as
   chat messages with the recipe's system prompt (openrlhf_io.ppo_row), as the SFT model was trained on them.
2. python3 -m openrlhf.cli.train_ppo_ray, rollouts by vLLM, --n_samples_per_prompt = --num-generations; the
   final policy is saved to --out (a Hugging Face model folder); scalars go to --scratch/tb.
3. tensorboard_metrics.py: the TensorBoard scalars' last values -> metrics.json.
Ray must be running on the node (`ray start --head`); the executor's setup lines can start it. Extra
train_ppo_ray options may follow `--`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common import read_jsonl, write_jsonl, write_metrics
from openrlhf_io import checked_extra, ppo_row
from run_with_reward_server import reward_server, rl_train_args, run_logged
from tensorboard_metrics import metrics_from_events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args, extra = rl_train_args(parser, sys.argv[1:])
    extra = checked_extra(extra)

    scratch = Path(args.scratch)
    # The queries as chat messages with the system prompt the policy was fine-tuned with (openrlhf_io.ppo_row).
    prompt_data = scratch / "prompts.jsonl"
    prompts = write_jsonl(prompt_data, (ppo_row(q) for q in read_jsonl(args.queries)))
    if prompts == 0:
        raise SystemExit(f"{args.queries} is empty: rl_filter kept no query")
    tb = scratch / "tb"
    cmd = [sys.executable, "-m", "openrlhf.cli.train_ppo_ray",
           "--advantage_estimator", "group_norm", "--n_samples_per_prompt", str(args.num_generations),
           "--pretrain", args.model, "--remote_rm_url", f"http://127.0.0.1:{args.port}/get_reward",
           "--prompt_data", str(prompt_data), "--input_key", "prompt", "--label_key", "answer", "--apply_chat_template",
           "--actor_num_nodes", "1", "--actor_num_gpus_per_node", str(args.gpus),
           "--ref_num_nodes", "1", "--ref_num_gpus_per_node", str(args.gpus),
           "--vllm_num_engines", str(args.gpus), "--vllm_tensor_parallel_size", "1", "--colocate_all_models",
           "--init_kl_coef", "0", "--actor_learning_rate", str(args.learning_rate), "--max_epochs", "1",
           "--num_episodes", str(args.epochs), "--prompt_max_len", str(args.max_prompt_length),
           "--generate_max_len", str(args.max_response_length), "--zero_stage", "3", "--bf16",
           "--save_path", args.out, "--ckpt_path", str(scratch / "ckpt"), "--save_steps", "50", "--load_checkpoint",
           "--use_tensorboard", str(tb), *extra]
    with reward_server(args.rm, args.port, args.alpha):
        run_logged(cmd, scratch / "train.log")
    write_metrics(args.out, {**metrics_from_events(tb), "prompts": prompts})


if __name__ == "__main__":
    main()
