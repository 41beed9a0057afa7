"""The reward model of the report: the SFT model's transformer with a two-layer MLP head on the last hidden state.

score = W2 · ReLU(W1 · h_last + b1) + b2, with W1: (hidden, hidden) and W2: (hidden, 1), where h_last is the
final-layer hidden state of the last token of "prompt + response" (right padding, so the last real token).
A Qwen2PreTrainedModel subclass: from_pretrained() on the SFT checkpoint loads the transformer ("model.*" keys)
and initializes the head; save_pretrained()/from_pretrained() then round-trip the whole reward model.
The head is named `score`, as in Qwen2.5-Math-RM.

`load_reward_model` also loads the RMs of the framework variants, told apart by their config.json (`rm_kind`):
TRL's RewardTrainer saves an AutoModelForSequenceClassification (one linear `score` head, pooled at the last
non-pad token), OpenRLHF's train_rm a value-head model (`value_head_prefix` in its config, with the reward mean/std
it measured). Each loads as a module called with (input_ids, attention_mask) that returns one score per sequence.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from transformers import Qwen2Model, Qwen2PreTrainedModel

from common import messages
from rm_kind import rm_kind


class ListwiseRewardModel(Qwen2PreTrainedModel):
    accepts_loss_kwargs = False  # the Trainer must scale our loss for gradient accumulation itself

    def __init__(self, config):
        super().__init__(config)
        self.model = Qwen2Model(config)
        hidden = config.hidden_size
        self.score = nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        self.post_init()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """One real-valued score per sequence; sequences must be right-padded."""
        hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        last = attention_mask.sum(dim=1) - 1
        pooled = hidden[torch.arange(hidden.size(0), device=hidden.device), last]
        return self.score(pooled).squeeze(-1).float()


def rm_text(tokenizer, question: str, response: str, kind: str = "listwise") -> str:
    """The text the RM reads: the whole chat, as the policy saw and wrote it. OpenRLHF's RM (kind "openrlhf") was
    trained on that text with its final newline dropped and " " + eos appended (its RewardDataset), so it reads the same."""
    text = tokenizer.apply_chat_template(messages(question, response), tokenize=False)
    if kind == "openrlhf":
        text = text.rstrip("\n")
        if not text.endswith(tokenizer.eos_token):
            text += " " + tokenizer.eos_token
    return text


def encode(tokenizer, texts: list[str], max_length: int) -> dict[str, torch.Tensor]:
    tokenizer.padding_side = "right"
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")


class _SequenceClassifierScores(nn.Module):
    """A *ForSequenceClassification RM called like ListwiseRewardModel: (input_ids, attention_mask) -> scores."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits[:, 0].float()


def load_reward_model(path: str | Path, tokenizer, torch_dtype=torch.bfloat16, attn_implementation: str = "sdpa") -> nn.Module:
    """The RM in `path`, whichever trainer wrote it, as a module returning one float score per sequence."""
    from hf_compat import load_kwargs

    kind = rm_kind(path)
    if kind == "listwise":
        return ListwiseRewardModel.from_pretrained(path, **load_kwargs(torch_dtype, attn_implementation))
    if kind == "seqcls":
        from transformers import AutoModelForSequenceClassification

        model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1, **load_kwargs(torch_dtype, attn_implementation))
        if model.config.pad_token_id is None:  # it pools at the last non-pad token, so it must know the pad id
            model.config.pad_token_id = tokenizer.pad_token_id
        return _SequenceClassifierScores(model)
    from openrlhf.models import get_llm_for_sequence_regression  # the OpenRLHF venv (openrlhf 0.9.1)

    # normalize_reward: (r - mean) / std with the statistics train_rm stored in config.json, as batch_inference scores.
    return get_llm_for_sequence_regression(str(path), "reward", bf16=torch_dtype == torch.bfloat16, normalize_reward=True,
                                           attn_implementation=attn_implementation)
