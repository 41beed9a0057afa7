"""What differs between the library releases the scripts run under, in one place.

The CPU stack (requirements-cpu.lock: transformers 5, TRL 1) is what the tests run; a GPU venv may hold another
release. A config argument that a release does not know is left out with a note on stderr, never silently; a
model is loaded in bf16 on a GPU and in float32 on a CPU (bf16 training on a CPU is slow and imprecise).
"""

from __future__ import annotations

import dataclasses
import os
import sys

import torch


def make_config(cls, optional: dict | None = None, **kwargs):
    """cls(**kwargs, **optional), leaving out (and naming) the optional arguments this release's cls lacks."""
    fields = {f.name for f in dataclasses.fields(cls)}
    passed = dict(kwargs)
    for name, value in (optional or {}).items():
        if name in fields:
            passed[name] = value
        else:
            print(f"note: {cls.__name__} in this release has no {name!r}; left out", file=sys.stderr, flush=True)
    return cls(**passed)


def warmup_args(ratio: float) -> dict:
    """A warmup over the first `ratio` of the steps: warmup_ratio (transformers 4), or a float warmup_steps (5)."""
    from transformers import TrainingArguments

    fields = {f.name for f in dataclasses.fields(TrainingArguments)}
    return {"warmup_ratio": ratio} if "warmup_ratio" in fields else {"warmup_steps": ratio}


def on_gpu() -> bool:
    return torch.cuda.is_available()


def model_dtype(choice: str = "auto") -> torch.dtype:
    """--dtype auto|bf16|fp32: auto is bf16 on a GPU, float32 on a CPU."""
    if choice == "auto":
        return torch.bfloat16 if on_gpu() else torch.float32
    return {"bf16": torch.bfloat16, "bfloat16": torch.bfloat16, "fp32": torch.float32, "float32": torch.float32}[choice]


def precision_args(dtype: torch.dtype) -> dict:
    """Trainer precision flags matching the model's dtype."""
    return {"bf16": dtype == torch.bfloat16}


def parse_bool(text: str) -> bool:
    """A flag value a recipe variable can carry: true/false, yes/no, on/off, 1/0."""
    value = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}.get(text.lower())
    if value is None:
        raise ValueError(f"{text!r} is not true or false")
    return value


def add_training_args(parser, logging_steps: int = 10, warmup_ratio: float = 0.03) -> None:
    """The Trainer settings every training script takes, so a recipe sets them the same way for each."""
    parser.add_argument("--logging-steps", type=int, default=logging_steps)
    parser.add_argument("--warmup-ratio", type=float, default=warmup_ratio, help="share of the steps the learning rate warms up over")
    parser.add_argument("--gradient-checkpointing", type=parse_bool, default=True, metavar="true|false",
                        help="recompute activations in the backward pass: saves GPU memory, costs time (false on a CPU)")
    parser.add_argument("--report-to", default="none", help="transformers report_to: none, mlflow, wandb, tensorboard")
    add_dtype_arg(parser)


def trainer_args(args, dtype: torch.dtype) -> dict:
    """The Trainer config arguments every training script sets alike: what add_training_args takes (warmup,
    gradient checkpointing, logging, report_to, precision for `dtype`), its seed, and a checkpoint every --save-steps
    with only the last kept, in the scratch folder a retry resumes from."""
    return {
        **warmup_args(args.warmup_ratio),
        **precision_args(dtype),
        "gradient_checkpointing": args.gradient_checkpointing,
        "gradient_checkpointing_kwargs": {"use_reentrant": False},
        "logging_steps": args.logging_steps,
        "save_strategy": "steps",
        "save_steps": args.save_steps,
        "save_total_limit": 1,
        "report_to": args.report_to,
        "seed": args.seed,
    }


def add_dtype_arg(parser) -> None:
    parser.add_argument("--dtype", default="auto", choices=["auto", "bf16", "fp32"],
                        help="weights and training precision (auto: bf16 on a GPU, fp32 on a CPU)")


def load_kwargs(dtype: torch.dtype, attn_implementation: str) -> dict:
    """from_pretrained keyword arguments: `dtype` (transformers >= 4.56) or `torch_dtype` (older)."""
    import transformers

    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    key = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"
    return {key: dtype, "attn_implementation": attn_implementation}


def data_workers(requested: int) -> int | None:
    """Dataset preprocessing processes: at most the CPUs this process may use; None (in-process) for one."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(requested, cpus)
    return workers if workers > 1 else None
