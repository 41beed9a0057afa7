"""Loads what a tiny-qwen run saved, as a user would, and prints one JSON line of what it found.

  check_artifacts.py policy DIR              -> {"generated": text}            (AutoModelForCausalLM + generate)
  check_artifacts.py rm DIR GRADED QUERIES   -> {"auc": x, "pairs": n, "kind": k}  (RM scores of held-out samples)
The RM's AUC is the share of (correct, wrong) response pairs of the same query that it orders right (ties half).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "recipes" / "qwen2.5-math"))

import torch  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from common import messages, read_jsonl, read_queries  # noqa: E402
from rm_model import encode, load_reward_model, rm_kind, rm_text  # noqa: E402


def policy(folder: str) -> dict:
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder)
    prompt = tokenizer.apply_chat_template(messages("What is 47 + 38?"), tokenize=False, add_generation_prompt=True)
    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
    out = model.generate(**ids, max_new_tokens=48, do_sample=False)
    return {"generated": tokenizer.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True),
            "parameters": sum(p.numel() for p in model.parameters())}


@torch.inference_mode()
def rm(folder: str, graded: str, queries: str) -> dict:
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = load_reward_model(folder, tokenizer, torch.float32).eval()
    kind = rm_kind(folder)
    questions = {str(q["id"]): q["question"] for q in read_queries([queries])}
    groups = defaultdict(lambda: ([], []))
    for row in read_jsonl(graded):
        if row.get("correct") is not None:
            groups[str(row["id"])][0 if row["correct"] else 1].append(row["response"])
    right = pairs = 0.0
    for key, (good, bad) in groups.items():
        if not good or not bad:
            continue
        texts = [rm_text(tokenizer, questions[key], r, kind) for r in good + bad]
        batch = encode(tokenizer, texts, 256)
        scores = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).tolist()
        for g in scores[:len(good)]:
            for b in scores[len(good):]:
                right += 1.0 if g > b else 0.5 if g == b else 0.0
                pairs += 1
    return {"auc": right / pairs if pairs else None, "pairs": int(pairs), "kind": kind}


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    print(json.dumps(policy(*args) if what == "policy" else rm(*args)))
