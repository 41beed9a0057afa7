"""The method's shaped RL reward, r = sigmoid(alpha * rm) + (correct - 1) with alpha = 0.5: every wrong answer
(-1 < r < 0) scores below every right one (0 < r < 1), and the RM orders answers within each group.

`shaped_reward` is the formula (standard library only, tested on its own); `ShapedReward` is a TRL GRPOTrainer
reward function that grades completions by rule against the dataset's "answer" column and scores them with the
final RM (rm_model.load_reward_model: train_rm.py's, TRL RewardTrainer's or OpenRLHF's) on the trainer's device. reward_server.py serves the same reward over
HTTP for OpenRLHF (--remote_rm_url) and verl (verl_reward.py).
"""

from __future__ import annotations

import math

from answers import extract_answer, is_equiv, reference_answer

ALPHA = 0.5


def shaped_reward(rm_score: float, correct: bool, alpha: float = ALPHA) -> float:
    """sigmoid(alpha * rm) + (correct - 1), computed without overflow for any real rm score."""
    z = alpha * rm_score
    sig = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return sig + (1.0 if correct else 0.0) - 1.0


def rule_verdict(completion: str, answer: object) -> bool:
    """The rule grader's verdict: the completion's final answer equals the reference answer."""
    ref = reference_answer(answer)
    return ref is not None and is_equiv(extract_answer(completion), ref)


def completion_text(completion) -> str:
    """TRL passes completions as text, or as chat messages for conversational datasets."""
    if isinstance(completion, list):
        return "".join(m.get("content", "") for m in completion if m.get("role") == "assistant")
    return str(completion)


class ShapedReward:
    """A GRPOTrainer reward function: reward_funcs=[ShapedReward(rm_path)]; the dataset needs "question" and "answer"."""

    __name__ = "shaped_reward"  # TRL logs rewards/<__name__>/mean

    def __init__(self, rm_path: str, alpha: float = ALPHA, batch_size: int = 16, max_length: int = 4096, dtype=None):
        import torch
        from transformers import AutoTokenizer

        from rm_model import load_reward_model, rm_kind

        self.alpha, self.batch_size, self.max_length = alpha, batch_size, max_length
        self.tokenizer = AutoTokenizer.from_pretrained(rm_path)
        self.tokenizer.padding_side = "right"  # the RM pools the last real token
        self.device = torch.device("cuda", torch.cuda.current_device()) if torch.cuda.is_available() else torch.device("cpu")
        self.kind = rm_kind(rm_path)
        self.model = load_reward_model(rm_path, self.tokenizer, dtype or torch.bfloat16).to(self.device).eval()

    def rm_scores(self, questions: list[str], responses: list[str]) -> list[float]:
        import torch

        from rm_model import rm_text

        scores: list[float] = []
        for start in range(0, len(responses), self.batch_size):
            texts = [rm_text(self.tokenizer, q, r, self.kind) for q, r in zip(questions[start:start + self.batch_size], responses[start:start + self.batch_size])]
            batch = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=self.max_length).to(self.device)
            with torch.no_grad():
                scores.extend(self.model(batch["input_ids"], batch["attention_mask"]).tolist())
        return scores

    def __call__(self, prompts, completions, question, answer, **kwargs) -> list[float]:
        texts = [completion_text(c) for c in completions]
        scores = self.rm_scores(list(question), texts)
        return [shaped_reward(s, rule_verdict(t, a), self.alpha) for s, t, a in zip(scores, texts, answer)]
