"""Loads a run's published SFT model and RM the way users do, and prints what it saw as one JSON line.

usage: check_models.py --recipe-module recipes/qwen2.5-math --reference DIR (sft-1, rm as make_tiny_models.py wrote)
         hub --sft-repo ID --rm-repo ID --data-repo ID --revision iter-1 --other-revision iter-0 [--rl-repo ID]
         dirs --sft DIR --rm DIR [--sft DIR --rm DIR …]   (folders `loop pull` wrote)
From the Hub (HF_ENDPOINT, HF_TOKEN): snapshot_download, then from_pretrained(repo_id, revision=...) for the
causal LM, its tokenizer and the RM; `datasets.load_dataset` for the select stage's data. Each model generates (greedy) or scores, and so does the reference copy,
so the caller can check that the bytes that came back are the ones the stage wrote.
"""

import argparse
import hashlib
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

PROMPT = [{"role": "user", "content": "What is 12 + 30?"}]
RESPONSES = ["The answer is \\boxed{42}.", "The answer is \\boxed{7}."]


def generate(model, tok) -> list[int]:
    ids = tok.apply_chat_template(PROMPT, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    out = model.generate(**ids, max_new_tokens=8, do_sample=False, pad_token_id=tok.pad_token_id)
    return out[0, ids["input_ids"].shape[1]:].tolist()


def scores(rm, tok) -> list[float]:
    from rm_model import encode, rm_text

    texts = [rm_text(tok, PROMPT[0]["content"], r) for r in RESPONSES]
    with torch.no_grad():
        return [round(float(s), 6) for s in rm(**encode(tok, texts, 128))]


def load_dataset_rows(repo_id: str, revision: str, path: str) -> list[dict]:
    from datasets import load_dataset

    return list(load_dataset(repo_id, revision=revision, data_files=path, split="train"))


def files(folder: str) -> dict[str, str]:
    out = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipe-module", required=True)
    parser.add_argument("--reference", required=True)
    sub = parser.add_subparsers(dest="mode", required=True)
    hub = sub.add_parser("hub")
    hub.add_argument("--sft-repo", required=True)
    hub.add_argument("--rm-repo", required=True)
    hub.add_argument("--data-repo", required=True)
    hub.add_argument("--revision", required=True)
    hub.add_argument("--other-revision", required=True)
    hub.add_argument("--rl-repo")
    dirs = sub.add_parser("dirs")
    dirs.add_argument("--sft", action="append", required=True)
    dirs.add_argument("--rm", action="append", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.recipe_module)
    from rm_model import ListwiseRewardModel, load_reward_model

    torch.manual_seed(0)
    ref_sft, ref_rm = f"{args.reference}/sft-1", f"{args.reference}/rm"
    ref_tok = AutoTokenizer.from_pretrained(ref_sft)
    result = {
        "reference": {
            "tokens": generate(AutoModelForCausalLM.from_pretrained(ref_sft), ref_tok),
            "scores": scores(ListwiseRewardModel.from_pretrained(ref_rm), AutoTokenizer.from_pretrained(ref_rm)),
        }
    }
    if args.mode == "hub":
        from huggingface_hub import HfApi, snapshot_download

        rev = args.revision
        sft_path = snapshot_download(args.sft_repo, revision=rev)
        rm_path = snapshot_download(args.rm_repo, revision=rev)
        model = AutoModelForCausalLM.from_pretrained(args.sft_repo, revision=rev)
        tok = AutoTokenizer.from_pretrained(args.sft_repo, revision=rev)
        other = AutoModelForCausalLM.from_pretrained(args.sft_repo, revision=args.other_revision)
        rm = ListwiseRewardModel.from_pretrained(args.rm_repo, revision=rev)
        rm_tok = AutoTokenizer.from_pretrained(args.rm_repo, revision=rev)
        # The model card as the Hub's own parser reads it (ModelCardData: base model, datasets, model-index results).
        card = HfApi().model_info(args.sft_repo, revision=rev).card_data
        result["hub"] = {
            "card": {
                "datasets": card.datasets,
                "tags": card.tags,
                "results": [[r.metric_type, r.metric_value] for r in card.eval_results or []],
            },
            "sft_snapshot": files(sft_path),
            "rm_snapshot": files(rm_path),
            "tokens": generate(model, tok),
            "chat": tok.apply_chat_template(PROMPT, add_generation_prompt=True, tokenize=False),
            "other_revision_differs": any(
                not torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values())
            ),
            "scores": scores(rm, rm_tok),
            # The recipe's own loader, on the snapshot folder (it reads config.json to tell the RM's kind).
            "select_rows": load_dataset_rows(args.data_repo, rev, "select/data.jsonl"),
            "scores_via_load_reward_model": scores(load_reward_model(rm_path, rm_tok, torch_dtype=torch.float32), rm_tok),
        }
        if args.rl_repo:
            # The RL policy from its own repo at its default revision (main), as a user loads the run's last model;
            # the reference is the policy the rl_train stage copied in (sft-0).
            ref_rl = f"{args.reference}/sft-0"
            result["reference"]["rl_tokens"] = generate(AutoModelForCausalLM.from_pretrained(ref_rl), AutoTokenizer.from_pretrained(ref_rl))
            rl_card = HfApi().model_info(args.rl_repo).card_data
            result["hub"]["rl"] = {
                "tokens": generate(AutoModelForCausalLM.from_pretrained(args.rl_repo), AutoTokenizer.from_pretrained(args.rl_repo)),
                "snapshot": files(snapshot_download(args.rl_repo, revision="final")),
                "card": {
                    "base_model": rl_card.base_model,
                    "tags": rl_card.tags,
                    "results": [[r.metric_type, r.metric_value] for r in rl_card.eval_results or []],
                },
            }
    else:
        result["dirs"] = []
        for sft, rm in zip(args.sft, args.rm):
            tok = AutoTokenizer.from_pretrained(sft)
            rm_tok = AutoTokenizer.from_pretrained(rm)
            result["dirs"].append({
                "tokens": generate(AutoModelForCausalLM.from_pretrained(sft), tok),
                "scores": scores(load_reward_model(rm, rm_tok, torch_dtype=torch.float32), rm_tok),
            })
    print(json.dumps(result))


if __name__ == "__main__":
    main()
