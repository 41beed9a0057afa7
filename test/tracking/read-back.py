"""Reads a loop run back the way its users would: MLflow's Python client and TensorBoard's EventAccumulator.

Usage: read-back.py TRACKING_URI EXPERIMENT LOOP_RUN [TENSORBOARD_DIR]; prints one JSON line.
"""
import json
import os
import sys

from mlflow.tracking import MlflowClient

uri, experiment, run = sys.argv[1:4]
board = sys.argv[4] if len(sys.argv) > 4 else ""
client = MlflowClient(uri)
found = client.get_experiment_by_name(experiment)
everything = []
if found is not None:
    everything = client.search_runs([found.experiment_id], filter_string=f"tags.`loop.run` = '{run}'", max_results=1000)
parents = [r for r in everything if "mlflow.parentRunId" not in r.data.tags]
children = [r for r in everything if "mlflow.parentRunId" in r.data.tags]
history = {}
if parents:
    first = parents[0]
    for key in first.data.metrics:
        points = client.get_metric_history(first.info.run_id, key)
        history[key] = [[p.step, p.value, p.timestamp] for p in points]
tensorboard = None
if board:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(board, size_guidance={"scalars": 0})
    accumulator.Reload()
    scalars = {tag: [[e.step, e.value] for e in accumulator.Scalars(tag)] for tag in accumulator.Tags()["scalars"]}
    files = sorted(f for f in os.listdir(board) if "tfevents" in f)
    tensorboard = {"files": files, "scalars": scalars}
print(
    json.dumps(
        {
            "runs": [
                {
                    "id": r.info.run_id,
                    "status": r.info.status,
                    "name": r.info.run_name,
                    "params": r.data.params,
                    "tags": r.data.tags,
                }
                for r in parents
            ],
            "history": history,
            "children": [
                {
                    "status": r.info.status,
                    "parent": r.data.tags["mlflow.parentRunId"],
                    "stage": r.data.tags.get("loop.stage", ""),
                    "metrics": r.data.metrics,
                }
                for r in children
            ],
            "tensorboard": tensorboard,
        }
    )
)
