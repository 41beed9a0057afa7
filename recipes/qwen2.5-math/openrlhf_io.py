"""Adapters between the stage contract and OpenRLHF's (0.9.1) command-line tools' files. Standard library only.

OpenRLHF reads and writes JSONL with its own keys and no query ids:

  batch_inference --eval_task generate_vllm  reads {"input": PROMPT_TEXT} (no --apply_chat_template: the prompt is
      rendered here with the model's chat template, system prompt included), generates `prompts * best_of_n` in
      one vLLM call and writes {"input", "output"} in that order. `join_generations` maps row k back to query
      k mod P and writes the recipe's {"id", "response"} rows, a query's n responses together.
  batch_inference --eval_task rm  reads {"input", "output"}, writes {"input", "output", "reward"}, ranks
      concatenated (and DistributedSampler pads by repeating rows), so `join_rewards` matches on (input, output).
  train_sft --apply_chat_template --input_key prompt --output_key response  reads chat messages:
      {"prompt": [system, user], "response": [assistant]} (`sft_row`).
  train_ppo_ray --input_key prompt --label_key answer --apply_chat_template  reads {"prompt": [system, user],
      "answer"} (`ppo_row`), so the policy sees the system prompt it was fine-tuned with.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from common import messages, refuse_reserved

STOP_STRINGS = ("<|im_end|>", "<|endoftext|>")

# Options the training adapters set themselves (common.refuse_reserved): OpenRLHF writes TensorBoard events only with
# W&B off (its trainers log to one or the other), and the stage's metrics.json is read from those events
# (tensorboard_metrics.py).
_LEAVE_OUT = "; leave it out (W&B can import the events folder, scratch/.../tb, afterwards)"
RESERVED_OPTIONS = {
    "--use_wandb": "OpenRLHF then writes no TensorBoard events, which this stage reads its metrics from" + _LEAVE_OUT,
    "--use_tensorboard": "the adapter sets it to the folder it reads the stage's metrics from" + _LEAVE_OUT,
}


def checked_extra(extra: list[str]) -> list[str]:
    """The OpenRLHF options given after `--`, refused (before any work) when they would leave no metrics.json."""
    return refuse_reserved(extra, RESERVED_OPTIONS)


def strip_stop(text: str) -> str:
    """batch_inference keeps special tokens and stop strings in its output: drop the end-of-turn markers."""
    text = text.rstrip()
    changed = True
    while changed:
        changed = False
        for stop in STOP_STRINGS:
            if text.endswith(stop):
                text = text[: -len(stop)].rstrip()
                changed = True
    return text


def prompt_rows(queries: list[dict], render: Callable[[str], str]) -> list[dict]:
    """One {"input"} row per query: the chat prompt as the policy reads it (render: question -> prompt text)."""
    return [{"input": render(q["question"])} for q in queries]


def join_generations(queries: list[dict], prompts: list[dict], outputs: Iterable[dict], n: int) -> Iterator[dict]:
    """generate_vllm's rows (prompt k mod P, k = 0 .. n*P-1) -> {"id", "response"}, n per query, in query order."""
    rows = list(outputs)
    count = len(prompts)
    if len(rows) != n * count:
        raise SystemExit(f"batch_inference wrote {len(rows)} rows for {count} prompts x {n}; expected {n * count}: "
                         "did it stop early? see the log above")
    responses: list[list[str]] = [[] for _ in range(count)]
    for k, row in enumerate(rows):
        index = k % count
        if row.get("input") != prompts[index]["input"]:
            raise SystemExit(f"batch_inference row {k + 1} answers another prompt than prompt {index + 1}: "
                             "the output order is not prompts x n (an OpenRLHF version other than 0.9.1?)")
        responses[index].append(strip_stop(str(row.get("output", ""))))
    for query, texts in zip(queries, responses):
        for text in texts:
            yield {"id": query["id"], "response": text}


def rm_row(prompt: str, full: str) -> dict:
    """batch_inference rm input: the prompt text and what follows it in the whole chat (the response and its end)."""
    if not full.startswith(prompt):
        raise ValueError("the rendered chat does not start with the rendered prompt; the chat template is unusual")
    return {"input": prompt, "output": full[len(prompt):]}


def join_rewards(samples: Iterable[dict], keys: Iterable[dict], scored: Iterable[dict]) -> Iterator[dict]:
    """Each sample with "rm" = the reward batch_inference gave its (input, output) row; `keys` lines up with samples."""
    rewards: dict[tuple[str, str], float] = {}
    for row in scored:
        rewards[(row["input"], row["output"])] = float(row["reward"])
    missing = 0
    for sample, key in zip(samples, keys):
        reward = rewards.get((key["input"], key["output"]))
        if reward is None:
            missing += 1
            continue
        yield {**sample, "rm": reward}
    if missing:
        raise SystemExit(f"batch_inference gave no reward for {missing} sample(s): OpenRLHF's SFTDataset drops a row "
                         "whose prompt fills --max_len; raise --max-length")


def sft_row(row: dict) -> dict:
    """A recipe SFT row {"question", "response"} as train_sft reads it with --apply_chat_template."""
    return {"prompt": messages(row["question"]), "response": [{"role": "assistant", "content": row["response"]}]}


def ppo_row(query: dict) -> dict:
    """An RL query {"question", "answer"} as train_ppo_ray reads it (the label goes to the reward server)."""
    return {"prompt": messages(query["question"]), "answer": str(query["answer"])}
