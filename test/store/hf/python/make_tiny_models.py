"""Writes a tiny real Qwen2 causal LM, its tokenizer and a listwise reward model, for the Hub client tests.

usage: make_tiny_models.py --out DIR --rm-module recipes/qwen2.5-math
writes DIR/sft-0 and DIR/sft-1 (two policies, seeded 0 and 1, told apart by iteration in the tests) and DIR/rm.
Weights are drawn wide (initializer_range 0.5) so that greedy generation varies. The tokenizer is a byte-level BPE trained here on a few sentences and wrapped in PreTrainedTokenizerFast with a
chat template; the weights are seeded. Nothing is downloaded. The RM is the recipe's ListwiseRewardModel (the SFT
transformer plus its MLP head), saved with save_pretrained next to the same tokenizer.
"""

import argparse
import sys

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

SENTENCES = [
    "What is 12 + 30? The answer is \\boxed{42}.",
    "Tom has 3 apples and buys 4 more. He has \\boxed{7} apples.",
    "A train travels 60 miles in 2 hours, so its speed is \\boxed{30} miles per hour.",
    "The sum of the numbers from 1 to 10 is \\boxed{55}.",
    "Please reason step by step, and put your final answer within \\boxed{}.",
]
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def tokenizer() -> PreTrainedTokenizerFast:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(SENTENCES * 4, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>", bos_token=None)
    fast.chat_template = CHAT_TEMPLATE
    return fast


def config(tok: PreTrainedTokenizerFast) -> Qwen2Config:
    return Qwen2Config(
        hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, intermediate_size=128,
        vocab_size=len(tok), max_position_embeddings=256, tie_word_embeddings=True, initializer_range=0.5,
        eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, bos_token_id=tok.eos_token_id,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--rm-module", required=True, help="the folder holding rm_model.py")
    args = parser.parse_args()
    tok = tokenizer()
    cfg = config(tok)
    for seed in (0, 1):
        torch.manual_seed(seed)
        Qwen2ForCausalLM(cfg).save_pretrained(f"{args.out}/sft-{seed}")
        tok.save_pretrained(f"{args.out}/sft-{seed}")
    sys.path.insert(0, args.rm_module)
    from rm_model import ListwiseRewardModel

    torch.manual_seed(2)
    ListwiseRewardModel(cfg).save_pretrained(f"{args.out}/rm")
    tok.save_pretrained(f"{args.out}/rm")


if __name__ == "__main__":
    main()
