"""Small helpers shared by the recipe's scripts: JSONL and metrics files, the prompt, resumable chunks.

Standard library only, so the CPU stages (grade.py, select_sft.py) run with a bare python3.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

# The chain-of-thought system prompt of Qwen2.5-Math-Instruct; every stage builds prompts the same way.
SYSTEM_PROMPT = "Please reason step by step, and put your final answer within \\boxed{}."

# ChatML, for a base tokenizer that ships without a chat template (train_sft.py; OpenRLHF's --tokenizer_chat_template).
CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def messages(question: str, response: str | None = None) -> list[dict]:
    """The chat for one query, with the assistant's response when given (SFT and RM text)."""
    chat = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": question}]
    if response is not None:
        chat.append({"role": "assistant", "content": response})
    return chat


def read_jsonl(path: str | Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{path}:{number}: not valid JSON ({error})") from None


def read_queries(paths: Iterable[str | Path]) -> list[dict]:
    """Queries from one or more JSONL files ({"id", "question", "answer"?}); ids must be unique across files."""
    queries, seen = [], set()
    for path in paths:
        for row in read_jsonl(path):
            if "id" not in row or "question" not in row:
                raise SystemExit(f"{path}: every query needs \"id\" and \"question\", got keys {sorted(row)}")
            key = str(row["id"])
            if key in seen:
                raise SystemExit(f"{path}: query id {key!r} appears twice; ids must be unique across query files")
            seen.add(key)
            queries.append(row)
    return queries


def write_jsonl(path: str | Path, rows: Iterable[dict]) -> int:
    """Writes rows atomically (a temporary file renamed into place); returns how many."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    os.replace(tmp, path)
    return count


def refuse_reserved(extra: list[str], reserved: dict[str, str]) -> list[str]:
    """A framework's own options given after `--` (`--name value`, `--name=value`, Hydra's `key=value`, `+key=...`),
    refused before any work when an adapter sets one itself and relies on it: the message names the option and why,
    never its value (which may be a key)."""
    for option in extra:
        name = option.split("=", 1)[0].lstrip("+~")
        if name in reserved:
            raise SystemExit(f"{name} after --: {reserved[name]}")
    return extra


def write_scored(out_file: str | Path, rows: Iterable[dict]) -> int:
    """The score stage's output: the scored rows (each with "rm"), and metrics.json with their count, mean and
    standard deviation of "rm", computed as they stream by. Returns how many rows."""
    n, total, squares = 0, 0.0, 0.0

    def counted():
        nonlocal n, total, squares
        for row in rows:
            n, total, squares = n + 1, total + row["rm"], squares + row["rm"] ** 2
            yield row

    write_jsonl(out_file, counted())
    mean = total / max(1, n)
    write_metrics(out_file, {"samples": n, "rm_mean": mean, "rm_std": math.sqrt(max(0.0, squares / max(1, n) - mean ** 2))})
    return n


def write_metrics(out_file: str | Path, metrics: dict) -> None:
    """Writes the stage's metrics.json next to its main output: a flat object of finite numbers (the stage contract)."""
    path = Path(os.environ.get("LOOP_METRICS") or Path(out_file).parent / "metrics.json")
    for key, value in metrics.items():
        finite = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) != float("inf") and value == value
        if not finite:
            raise ValueError(f"metric {key!r} is {value!r}; metrics.json holds finite numbers only")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")


class ChunkCache:
    """Finished chunks of a long job, kept in a folder outside {{ out }} so a retried attempt resumes.

    loop empties {{ out }} at the start of every attempt; after a preemption the chunks already
    written here are skipped. A fingerprint of the job's inputs clears chunks left by a different job.
    """

    def __init__(self, folder: str | Path, fingerprint: dict):
        self.folder = Path(folder)
        self.key = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:16]

    def prepare(self) -> None:
        """Call once, before any worker starts: keeps chunks only when they were made by the same job."""
        stamp = self.folder / "fingerprint.txt"
        if self.folder.exists() and (not stamp.exists() or stamp.read_text().strip() != self.key):
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp.write_text(self.key + "\n")

    def path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.jsonl"

    def done(self, index: int) -> bool:
        return self.path(index).exists()

    def finished(self) -> set[int]:
        """Indices of the chunks written so far."""
        return {int(p.stem.split("-")[1]) for p in self.folder.glob("chunk-*.jsonl")}

    def write(self, index: int, rows: list[dict]) -> None:
        write_jsonl(self.path(index), rows)

    def rows(self, count: int) -> Iterator[dict]:
        """The rows of chunks 0..count-1, in order; fails when one is missing."""
        missing = [i for i in range(count) if not self.done(i)]
        if missing:
            raise SystemExit(f"{len(missing)} chunk(s) missing in {self.folder} (first: {missing[0]}); a worker failed")
        for i in range(count):
            yield from read_jsonl(self.path(i))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def file_fingerprint(path: str | Path) -> dict:
    stat = Path(path).stat()
    return {"path": str(Path(path).resolve()), "size": stat.st_size, "mtime": int(stat.st_mtime)}
