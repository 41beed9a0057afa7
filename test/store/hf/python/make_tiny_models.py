"""Writes two tiny real Qwen2 causal LMs with their tokenizer, and a listwise reward model, for the Hub client tests.

usage: make_tiny_models.py --out DIR --recipe-module recipes/qwen2.5-math
writes DIR/sft-0 and DIR/sft-1 (two policies, seeded 0 and 1, told apart by iteration in the tests) and DIR/rm.
Tokenizer and model come from the recipe's own make_tiny_model.py (byte-level BPE trained here on a few sentences,
Qwen's ChatML template; Qwen2ForCausalLM with hidden size 64 and 2 layers); the weights are then redrawn wide
(normal, std 0.5) so that greedy generation varies. The RM is the recipe's ListwiseRewardModel (the same
transformer plus its MLP head), saved with save_pretrained next to the same tokenizer. Nothing is downloaded.
"""

import argparse
import sys

import torch

SENTENCES = [
    "What is 12 + 30? The answer is \\boxed{42}.",
    "Tom has 3 apples and buys 4 more. He has \\boxed{7} apples.",
    "A train travels 60 miles in 2 hours, so its speed is \\boxed{30} miles per hour.",
    "The sum of the numbers from 1 to 10 is \\boxed{55}.",
    "Please reason step by step, and put your final answer within \\boxed{}.",
]


def widen(model: torch.nn.Module, seed: int) -> None:
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0.0, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--recipe-module", required=True, help="the folder holding make_tiny_model.py and rm_model.py")
    args = parser.parse_args()
    sys.path.insert(0, args.recipe_module)
    from make_tiny_model import corpus_lines, make_model, train_tokenizer
    from rm_model import ListwiseRewardModel

    tok = train_tokenizer(corpus_lines([]) + SENTENCES * 4, 400)
    for seed in (0, 1):
        model = make_model(tok, hidden=64, layers=2, heads=4, seed=seed)
        widen(model, seed)
        model.save_pretrained(f"{args.out}/sft-{seed}")
        tok.save_pretrained(f"{args.out}/sft-{seed}")
    torch.manual_seed(2)
    rm = ListwiseRewardModel(model.config)
    widen(rm, 2)
    rm.save_pretrained(f"{args.out}/rm")
    tok.save_pretrained(f"{args.out}/rm")


if __name__ == "__main__":
    main()
