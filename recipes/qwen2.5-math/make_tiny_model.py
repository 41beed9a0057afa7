#!/usr/bin/env python3
"""Writes a tiny, seeded Qwen2ForCausalLM and a real tokenizer with Qwen's chat template, made offline.

The base model of recipes/tiny-qwen.yaml: the same architecture and tokenizer conventions as Qwen2.5-Math
(ChatML turns, <|im_end|> ends a turn, <|endoftext|> pads, digits tokenized one by one), small enough to train
on a CPU in a minute. The tokenizer is a byte-level BPE trained with `tokenizers` on the task's own text
(--corpus JSONL files: every string value, plus the recipe's system prompt), so nothing is downloaded.

  python3 make_tiny_model.py --corpus recipes/tiny-qwen/data/sft-seed.jsonl --out recipes/tiny-qwen/base
Loads with AutoModelForCausalLM.from_pretrained(OUT) and AutoTokenizer.from_pretrained(OUT).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GenerationConfig, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

from common import CHATML, SYSTEM_PROMPT, read_jsonl

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def corpus_lines(paths: list[str]) -> list[str]:
    lines = [SYSTEM_PROMPT, "system", "user", "assistant"]
    for path in paths:
        for row in read_jsonl(path):
            lines.extend(str(v) for v in row.values() if isinstance(v, str))
    return lines


def train_tokenizer(lines: list[str], vocab_size: int) -> PreTrainedTokenizerFast:
    tok = Tokenizer(models.BPE())
    # As Qwen2's tokenizer: every digit is its own token, then byte-level BPE.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(lines, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   additional_special_tokens=["<|im_start|>"], model_max_length=512)
    fast.chat_template = CHATML
    return fast


def make_model(tokenizer: PreTrainedTokenizerFast, hidden: int, layers: int, heads: int, seed: int) -> Qwen2ForCausalLM:
    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=hidden * 3,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=max(1, heads // 2),
        max_position_embeddings=512,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=tokenizer.pad_token_id,
    )
    model = Qwen2ForCausalLM(config)
    stop = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>")]
    model.generation_config = GenerationConfig(eos_token_id=stop, pad_token_id=tokenizer.pad_token_id)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", required=True, help="JSONL files whose text trains the tokenizer (repeatable)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--vocab-size", type=int, default=400)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    tokenizer = train_tokenizer(corpus_lines(args.corpus), args.vocab_size)
    model = make_model(tokenizer, args.hidden, args.layers, args.heads, args.seed)
    out = Path(args.out)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    params = sum(p.numel() for p in model.parameters())
    (out / "README.md").write_text(
        "# tiny-qwen base model\n\nA randomly initialised Qwen2ForCausalLM (seed "
        f"{args.seed}, {params:,} parameters) and a BPE tokenizer of {len(tokenizer)} tokens, written by "
        "recipes/qwen2.5-math/make_tiny_model.py. See docs/recipes/tiny-qwen.md.\n", encoding="utf-8")
    print(json.dumps({"out": str(out), "parameters": params, "vocab": len(tokenizer)}))


if __name__ == "__main__":
    main()
