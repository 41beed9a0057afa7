#!/usr/bin/env python3
"""train_rm stage: train the reward model with the report's listwise ranking loss.

Launched with `accelerate launch --use_deepspeed --deepspeed_config_file ds_zero3.json train_rm.py ...`.

The RM (rm_model.py) is the current SFT model's transformer plus a two-layer MLP head on the last hidden
state. Each training example is one query with all its sampled responses (6 in the report), labeled
correct/wrong by the grade stage. With k correct (positive) and n-k wrong (negative) responses, the
query's loss is the mean over its k(n-k) positive/negative pairs of -log sigmoid(r_pos - r_neg), and a
batch averages over queries. Queries whose responses are all correct or all wrong carry no ranking
signal and are dropped.

Why not TRL's RewardTrainer: it takes one (chosen, rejected) pair per example and a linear head, so
the 6 responses of a query would be re-encoded once per pair and the query's pairs would not be
weighted together. Here a transformers Trainer subclass encodes each response once per step and
computes the loss over the whole list.

Checkpoints go to --scratch (outside {{ out }}, kept across attempts); a retried attempt resumes from
the latest one. The final RM is saved to --out with its tokenizer. metrics.json: loss (last logged
training loss), train_loss (mean), eval_loss, eval_pair_accuracy (held-out pos/neg pairs the RM orders
right), groups, groups_dropped.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections import defaultdict

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset
from transformers import AutoTokenizer, Trainer, TrainingArguments, set_seed

from common import read_jsonl, read_queries, write_metrics
from hf_compat import add_training_args, load_kwargs, model_dtype, trainer_args
from resume import last_checkpoint
from rm_model import ListwiseRewardModel, encode, rm_text


def listwise_loss(scores: torch.Tensor, labels: torch.Tensor, group_sizes: list[int]) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """Mean over queries of -1/(k(n-k)) * sum over (pos, neg) pairs of log sigmoid(r_pos - r_neg); also the margins."""
    losses, margins = [], []
    for s, y in zip(scores.split(group_sizes), labels.split(group_sizes)):
        margin = s[y == 1][:, None] - s[y == 0][None, :]  # (k, n-k)
        losses.append(-F.logsigmoid(margin).mean())
        margins.append(margin.detach())
    return torch.stack(losses).mean(), margins


class QueryGroups(Dataset):
    """One item per query: its question, its responses and their 0/1 labels."""

    def __init__(self, groups: list[dict]):
        self.groups = groups

    def __len__(self) -> int:
        return len(self.groups)

    def __getitem__(self, index: int) -> dict:
        return self.groups[index]


class GroupCollator:
    """Flattens a batch of queries into one batch of sequences, remembering where each query's list starts."""

    def __init__(self, tokenizer, max_length: int):
        self.tokenizer, self.max_length = tokenizer, max_length

    def __call__(self, groups: list[dict]) -> dict[str, torch.Tensor]:
        texts = [rm_text(self.tokenizer, g["question"], r) for g in groups for r in g["responses"]]
        batch = dict(encode(self.tokenizer, texts, self.max_length))
        batch["labels"] = torch.tensor([label for g in groups for label in g["labels"]])
        batch["group_sizes"] = torch.tensor([len(g["labels"]) for g in groups])
        return batch


class ListwiseTrainer(Trainer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.eval_pairs = [0, 0]  # (ordered right, all) on this process, during evaluate()

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        scores = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"])
        loss, margins = listwise_loss(scores, inputs["labels"], inputs["group_sizes"].tolist())
        if not model.training:
            self.eval_pairs[0] += sum(int((m > 0).sum()) for m in margins)
            self.eval_pairs[1] += sum(m.numel() for m in margins)
        return (loss, {"scores": scores}) if return_outputs else loss


def load_groups(graded_path: str, query_paths: list[str]) -> tuple[list[dict], int]:
    """Query groups with both correct and wrong responses, and how many groups were dropped."""
    questions = {str(q["id"]): q["question"] for q in read_queries(query_paths)}
    responses, labels = defaultdict(list), defaultdict(list)
    for row in read_jsonl(graded_path):
        if row.get("correct") is None:
            continue
        key = str(row["id"])
        responses[key].append(row["response"])
        labels[key].append(int(bool(row["correct"])))
    groups = [
        {"question": questions[key], "responses": responses[key], "labels": labels[key]}
        for key in responses
        if 0 < sum(labels[key]) < len(labels[key])
    ]
    return groups, len(responses) - len(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="SFT model the RM starts from")
    parser.add_argument("--data", required=True, help="graded samples JSONL from grade.py")
    parser.add_argument("--queries", action="append", required=True, help="query JSONL the samples came from (repeatable)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=5e-6)
    parser.add_argument("--queries-per-device", type=int, default=1, help="query groups per GPU per step (6 sequences each)")
    parser.add_argument("--grad-accum", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--eval-fraction", type=float, default=0.02, help="query groups held out for eval_loss")
    parser.add_argument("--save-steps", type=int, default=200)
    parser.add_argument("--dataloader-workers", type=int, default=2)
    add_training_args(parser, logging_steps=10)
    parser.add_argument("--attn-implementation", default="sdpa", help="sdpa, or flash_attention_2 when flash-attn is installed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scratch", required=True, help="checkpoint folder outside {{ out }}, kept across attempts")
    parser.add_argument("--out", required=True, help="folder to save the final RM in")
    args = parser.parse_args()
    set_seed(args.seed)
    dtype = model_dtype(args.dtype)

    groups, dropped = load_groups(args.data, args.queries)
    if len(groups) < 2:
        raise SystemExit(f"only {len(groups)} query groups mix correct and wrong responses; the RM needs both")
    random.Random(args.seed).shuffle(groups)
    held = max(1, int(len(groups) * args.eval_fraction))
    train_set, eval_set = QueryGroups(groups[held:]), QueryGroups(groups[:held])

    training = TrainingArguments(  # created before the model, so ZeRO-3 partitions it while loading
        output_dir=args.scratch,
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        lr_scheduler_type="cosine",
        per_device_train_batch_size=args.queries_per_device,
        per_device_eval_batch_size=args.queries_per_device,
        gradient_accumulation_steps=args.grad_accum,
        remove_unused_columns=False,  # keep labels and group_sizes for compute_loss
        label_names=["labels"],
        prediction_loss_only=True,
        dataloader_num_workers=args.dataloader_workers,
        **trainer_args(args, dtype),
    )
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = ListwiseRewardModel.from_pretrained(args.model, **load_kwargs(dtype, args.attn_implementation))
    model.config.pad_token_id = tokenizer.pad_token_id
    model.config.use_cache = False

    trainer = ListwiseTrainer(
        model=model,
        args=training,
        train_dataset=train_set,
        eval_dataset=eval_set,
        data_collator=GroupCollator(tokenizer, args.max_length),
        processing_class=tokenizer,
    )
    result = trainer.train(resume_from_checkpoint=last_checkpoint(args.scratch))
    trainer.save_model(args.out)

    trainer.eval_pairs = [0, 0]
    evaluation = trainer.evaluate()
    right, total = trainer.accelerator.reduce(torch.tensor(trainer.eval_pairs, device=trainer.accelerator.device), reduction="sum").tolist()

    if trainer.is_world_process_zero():
        losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
        write_metrics(args.out, {
            "loss": losses[-1] if losses else result.training_loss,
            "train_loss": result.training_loss,
            "eval_loss": evaluation["eval_loss"],
            "eval_pair_accuracy": right / max(1, total),
            "groups": len(groups),
            "groups_dropped": dropped,
        })
        shutil.rmtree(args.scratch, ignore_errors=True)  # the model is saved; checkpoints were only for resuming
    trainer.accelerator.wait_for_everyone()


if __name__ == "__main__":
    main()
