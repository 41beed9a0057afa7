"""verl's custom reward function for the shaped reward: custom_reward_function.path=verl_reward.py
custom_reward_function.name=compute_score. verl calls compute_score once per response; it asks reward_server.py
(started by train_verl.py, URL in LOOP_REWARD_URL) for sigmoid(0.5 * rm) + (correct - 1). The question travels
in extra_info["question"] (verl_data.py puts it there), the reference answer in ground_truth. Standard library.
"""

from __future__ import annotations

import json
import os
import urllib.request


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    url = os.environ.get("LOOP_REWARD_URL", "http://127.0.0.1:8765") + "/score"
    question = (extra_info or {}).get("question", "")
    body = json.dumps({"questions": [question], "responses": [solution_str], "answers": [ground_truth]}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as reply:
        return float(json.loads(reply.read())["rewards"][0])
