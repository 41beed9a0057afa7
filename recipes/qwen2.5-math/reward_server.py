#!/usr/bin/env python3
"""An HTTP server for the shaped RL reward, for frameworks that take a reward server rather than a Python function.

POST /get_reward  (OpenRLHF's --remote_rm_url protocol)
    {"query": [prompt+response texts], "prompts": [prompt texts], "labels": [reference answers]}
    -> {"rewards": [...], "scores": [...], "extra_logs": {"correct": [...], "rm": [...]}}
POST /score       (verl_reward.py)
    {"questions": [...], "responses": [...], "answers": [...]} -> {"rewards": [...], "correct": [...], "rm": [...]}
GET  /health      -> {"ok": true}

Each reward is shaped_reward(rm, correct) = sigmoid(0.5 * rm) + (correct - 1): the rule verdict from the
reference answer, the RM score from the final RM (--rm, loaded once on the first GPU). Standard library HTTP;
the RM needs torch and transformers (the training venv).

  python3 reward_server.py --rm RM_DIR --port 8765
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock
from typing import Callable

from openrlhf_io import strip_stop
from shaped_reward import ALPHA, rule_verdict, shaped_reward

USER_TURN = "<|im_start|>user\n"

# (questions, responses) -> RM scores
Scorer = Callable[[list, list], list]


def response_of(query: str, prompt: str) -> str:
    """OpenRLHF sends prompt + response as one text: the response is what follows the prompt, without end markers."""
    return strip_stop(query[len(prompt):] if query.startswith(prompt) else query)


def question_of(prompt: str) -> str:
    """OpenRLHF sends the prompt rendered with the chat template (ChatML for Qwen): the RM re-renders the chat from the
    question (rm_model.rm_text, as in training), so take the last user turn's text. A plain prompt is the question."""
    start = prompt.rfind(USER_TURN)
    if start < 0:
        return prompt
    body = prompt[start + len(USER_TURN):]
    end = body.find("<|im_end|>")
    return body if end < 0 else body[:end]


def rewards_for(scorer: Scorer, questions: list, responses: list, answers: list, alpha: float) -> dict:
    """The shaped rewards of a batch, with the verdicts and RM scores they come from."""
    if not (len(questions) == len(responses) == len(answers)):
        raise ValueError(f"lists differ in length: {len(questions)} questions, {len(responses)} responses, {len(answers)} answers")
    rm = [float(s) for s in scorer(questions, responses)] if responses else []
    correct = [rule_verdict(r, a) for r, a in zip(responses, answers)]
    return {"rewards": [shaped_reward(s, c, alpha) for s, c in zip(rm, correct)], "correct": correct, "rm": rm}


def make_handler(scorer: Scorer, alpha: float = ALPHA):
    """A request handler bound to a scorer (one request at a time reaches the model)."""
    lock = Lock()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, code: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's naming)
            self._reply(200, {"ok": True}) if self.path == "/health" else self._reply(404, {"error": f"no route {self.path}"})

        def do_POST(self):  # noqa: N802
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with lock:
                    if self.path == "/get_reward":
                        prompts, queries = body.get("prompts", []), body.get("query", [])
                        out = rewards_for(scorer, [question_of(p) for p in prompts], [response_of(q, p) for q, p in zip(queries, prompts)],
                                          body.get("labels", []), alpha)
                        self._reply(200, {"rewards": out["rewards"], "scores": out["rewards"], "extra_logs": {"correct": out["correct"], "rm": out["rm"]}})
                    elif self.path == "/score":
                        self._reply(200, rewards_for(scorer, body.get("questions", []), body.get("responses", []), body.get("answers", []), alpha))
                    else:
                        self._reply(404, {"error": f"no route {self.path}"})
            except (ValueError, KeyError, TypeError) as error:
                self._reply(400, {"error": str(error)})

        def log_message(self, *args):  # keep the stage log for the trainer's output
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rm", required=True, help="the final RM folder (train_rm's output)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--alpha", type=float, default=ALPHA)
    args = parser.parse_args()
    from shaped_reward import ShapedReward

    model = ShapedReward(args.rm, alpha=args.alpha)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(model.rm_scores, args.alpha))
    print(f"reward server on http://{args.host}:{args.port} (RM {args.rm})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
