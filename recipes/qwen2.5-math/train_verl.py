#!/usr/bin/env python3
"""rl_train stage, verl variant: GRPO with verl (algorithm.adv_estimator=grpo), the shaped reward from
reward_server.py through verl_reward.py, then the stage contract: an HF model folder and metrics.json.

1. rl_filter's queries -> parquet (verl_data.py), in --scratch.
2. reward_server.py with the final RM on 127.0.0.1:--port, for the whole training.
3. python3 -m verl.trainer.main_ppo with GRPO settings (rollout.n = --num-generations, no critic), checkpoints in
   --scratch/ckpt (trainer.resume_mode=auto resumes after a preemption), console log tee'd to --scratch/train.log;
   --report-to adds verl's MLflow, W&B or TensorBoard logging beside the console (verl_tracking.py).
4. python3 -m verl.model_merger merge: the last FSDP actor checkpoint -> --out (a Hugging Face model folder).
5. verl_log_metrics.py: the console log's last step -> --out/../metrics.json.
Extra verl overrides (key=value) may follow `--`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from run_with_reward_server import reward_server, rl_train_args, run_logged
from verl_data import write_parquet
from verl_log_metrics import metrics_from_log
from verl_tracking import verl_tracking
from common import refuse_reserved, write_metrics

HERE = Path(__file__).resolve().parent

# verl overrides the adapter sets itself and relies on: given again after `--`, they are refused before any work
# (common.refuse_reserved).
RESERVED = {
    "trainer.logger": "use --report-to (recipe: vars.report_to); the console logger must stay, metrics.json is read from it",
    "trainer.project_name": "set by --report-to from the trackers' environment",
    "trainer.experiment_name": "set by --report-to from the trackers' environment",
    "trainer.default_local_dir": "the adapter merges the last checkpoint from --scratch/ckpt",
    "trainer.resume_mode": "auto, so a retry resumes from --scratch/ckpt",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=128, help="prompts per step")
    parser.add_argument("--report-to", default="none", help="verl's trackers beside the console: none, or mlflow, wandb, "
                        "tensorboard (comma-separated)")
    args, extra = rl_train_args(parser, sys.argv[1:])
    extra = refuse_reserved(extra, RESERVED)

    trackers, tracker_env = verl_tracking(args.report_to, os.environ, str(Path(args.out).parent / "tensorboard"))
    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    data = scratch / "train.parquet"
    prompts = write_parquet(args.queries, str(data))
    ckpt = scratch / "ckpt"
    log = scratch / "train.log"
    cmd = [sys.executable, "-m", "verl.trainer.main_ppo",
           "algorithm.adv_estimator=grpo", "algorithm.use_kl_in_reward=False",
           f"data.train_files={data}", f"data.val_files={data}", f"data.train_batch_size={args.batch_size}",
           f"data.max_prompt_length={args.max_prompt_length}", f"data.max_response_length={args.max_response_length}",
           f"actor_rollout_ref.model.path={args.model}", f"actor_rollout_ref.actor.optim.lr={args.learning_rate}",
           "actor_rollout_ref.actor.use_kl_loss=False", "actor_rollout_ref.rollout.name=vllm",
           f"actor_rollout_ref.rollout.n={args.num_generations}",
           f"custom_reward_function.path={HERE / 'verl_reward.py'}", "custom_reward_function.name=compute_score",
           *trackers, "trainer.val_before_train=False", "trainer.test_freq=-1",
           f"trainer.n_gpus_per_node={args.gpus}", "trainer.nnodes=1", f"trainer.total_epochs={args.epochs}",
           f"trainer.default_local_dir={ckpt}", "trainer.resume_mode=auto", "trainer.save_freq=50",
           *extra]
    with reward_server(args.rm, args.port, args.alpha) as url:
        run_logged(cmd, log, env={**os.environ, **tracker_env, "LOOP_REWARD_URL": url})
    steps = sorted(ckpt.glob("global_step_*"), key=lambda p: int(re.sub(r"\D", "", p.name)))
    if not steps:
        raise SystemExit(f"verl saved no checkpoint in {ckpt}")
    subprocess.run([sys.executable, "-m", "verl.model_merger", "merge", "--backend", "fsdp",
                    "--local_dir", str(steps[-1] / "actor"), "--target_dir", args.out], check=True)
    write_metrics(args.out, {**metrics_from_log(log.read_text(encoding="utf-8", errors="replace")), "prompts": prompts})


if __name__ == "__main__":
    main()
