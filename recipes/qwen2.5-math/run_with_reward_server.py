"""Starts reward_server.py as a child process for the length of a training command, and stops it after.

Used by train_verl.py and train_openrlhf.py: the server loads the final RM once, the trainer's reward calls
reach it on 127.0.0.1. The server's process group is killed on exit, also when the trainer fails. Both take the
same arguments (rl_train_args), the framework's own overrides after `--`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rl_train_args(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The arguments an rl_train on a framework takes (parser holds the framework's own), and what follows `--`."""
    parser.add_argument("--model", required=True, help="the final SFT model (train_sft's output)")
    parser.add_argument("--rm", required=True, help="the final RM (train_rm's output), served by reward_server.py")
    parser.add_argument("--queries", required=True, help="rl_filter.py's kept queries")
    parser.add_argument("--num-generations", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=1e-6)
    parser.add_argument("--max-prompt-length", type=int, default=1024)
    parser.add_argument("--max-response-length", type=int, default=2048)
    parser.add_argument("--gpus", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765, help="the reward server's port on 127.0.0.1")
    parser.add_argument("--scratch", required=True, help="checkpoints and logs, kept across attempts")
    parser.add_argument("--out", required=True, help="folder for the RL policy (a Hugging Face model folder)")
    split = argv.index("--") if "--" in argv else len(argv)
    return parser.parse_args(argv[:split]), argv[split + 1:]


@contextmanager
def reward_server(rm: str, port: int, alpha: float, wait_s: float = 900):
    """Yields the server's URL once /health answers; fails when the server exits or does not come up in time."""
    proc = subprocess.Popen([sys.executable, str(HERE / "reward_server.py"), "--rm", rm, "--port", str(port), "--alpha", str(alpha)],
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + wait_s
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"reward_server.py exited with code {proc.returncode} before answering; see the log above")
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as reply:
                    if json.loads(reply.read()).get("ok"):
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit(f"reward_server.py did not answer on {url} within {wait_s:.0f}s")
            time.sleep(2)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)


def run_logged(cmd: list[str], log: Path, env: dict | None = None) -> None:
    """Runs a command, copying its output to our stdout (the stage log) and to `log` for the metrics adapters."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, bufsize=1)
        for line in proc.stdout:
            sys.stdout.write(line)
            sink.write(line)
        if proc.wait() != 0:
            raise SystemExit(f"{cmd[0]} {' '.join(cmd[1:3])} ... exited with code {proc.returncode}")
