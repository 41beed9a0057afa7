"""Where a retried training attempt resumes: the newest complete checkpoint in --scratch, announced in the log."""

from __future__ import annotations

import json
from pathlib import Path


def last_checkpoint(scratch: str | Path) -> str | None:
    """The newest checkpoint-N/ in `scratch` that holds its trainer_state.json (a checkpoint cut short by a kill has
    none, and is skipped); prints which one and its global step, or that training starts from step 0."""
    folder = Path(scratch)
    found = []
    for path in folder.glob("checkpoint-*") if folder.is_dir() else []:
        state = path / "trainer_state.json"
        suffix = path.name.removeprefix("checkpoint-")
        if suffix.isdigit() and state.is_file():
            found.append((int(suffix), path, state))
    if not found:
        print(f"resume: no checkpoint in {folder}; training starts at step 0", flush=True)
        return None
    _, path, state = max(found)
    step = json.loads(state.read_text(encoding="utf-8")).get("global_step")
    print(f"resume: continuing from {path.name} (global step {step})", flush=True)
    return str(path)
