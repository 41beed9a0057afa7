"""The reward model of the report: the SFT model's transformer with a two-layer MLP head on the last hidden state.

score = W2 · ReLU(W1 · h_last + b1) + b2, with W1: (hidden, hidden) and W2: (hidden, 1), where h_last is the
final-layer hidden state of the last token of "prompt + response" (right padding, so the last real token).
A Qwen2PreTrainedModel subclass: from_pretrained() on the SFT checkpoint loads the transformer ("model.*" keys)
and initializes the head; save_pretrained()/from_pretrained() then round-trip the whole reward model.
The head is named `score`, as in Qwen2.5-Math-RM.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import Qwen2Model, Qwen2PreTrainedModel

from common import messages


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


def rm_text(tokenizer, question: str, response: str) -> str:
    """The text the RM reads: the whole chat, as the policy saw and wrote it."""
    return tokenizer.apply_chat_template(messages(question, response), tokenize=False)


def encode(tokenizer, texts: list[str], max_length: int) -> dict[str, torch.Tensor]:
    tokenizer.padding_side = "right"
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
