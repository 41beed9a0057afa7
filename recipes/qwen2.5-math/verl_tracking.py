"""--report-to (the recipes' vars.report_to) -> verl's trackers, for train_verl.py.

verl logs through its own Tracking class (verl/utils/tracking.py), configured by three overrides:
trainer.logger (a list of backends), trainer.project_name and trainer.experiment_name. For MLflow it calls
mlflow.set_experiment(project_name) then mlflow.start_run(experiment_id=..., run_name=experiment_name), which
picks up MLFLOW_RUN_ID: loop's child run for the stage (docs/tracking.md). MLflow refuses that run when
project_name names another experiment, and renames it to experiment_name; so with MLflow the project is the
loop's experiment (MLFLOW_EXPERIMENT_NAME) and the name the child run's own. TensorBoard files go to
TENSORBOARD_DIR (the stage's out/tensorboard unless set). The console logger always stays: train_verl.py reads
metrics.json from its output.
"""

from __future__ import annotations

from collections.abc import Mapping

TRACKERS = ("mlflow", "wandb", "tensorboard")


def hydra_quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def wanted_trackers(report_to: str) -> list[str]:
    names = [n.strip() for n in report_to.split(",") if n.strip() and n.strip() != "none"]
    unknown = [n for n in names if n not in TRACKERS]
    if unknown:
        raise SystemExit(f"--report-to {report_to}: verl logs to {', '.join(TRACKERS)} or none, "
                         f"not {', '.join(unknown)}")
    return list(dict.fromkeys(names))


def mlflow_run_name(run_id: str) -> str:
    import mlflow

    return mlflow.MlflowClient().get_run(run_id).info.run_name


def verl_tracking(report_to: str, environ: Mapping[str, str], tensorboard_dir: str,
                  run_name=mlflow_run_name) -> tuple[list[str], dict[str, str]]:
    """The Hydra overrides for verl.trainer.main_ppo, and the variables to add to its environment."""
    trackers = wanted_trackers(report_to)
    with_mlflow = "mlflow" in trackers and bool(environ.get("MLFLOW_EXPERIMENT_NAME"))
    if with_mlflow:
        project = environ["MLFLOW_EXPERIMENT_NAME"]
    elif "wandb" in trackers and environ.get("WANDB_PROJECT"):
        project = environ["WANDB_PROJECT"]
    else:
        project = "loop"
    if with_mlflow and environ.get("MLFLOW_RUN_ID"):
        name = run_name(environ["MLFLOW_RUN_ID"])
    else:
        name = environ.get("WANDB_NAME") or environ.get("LOOP_RUN") or "rl"
    loggers = ",".join(hydra_quoted(t) for t in ["console", *trackers])
    overrides = [f"trainer.logger=[{loggers}]", f"trainer.project_name={hydra_quoted(project)}",
                 f"trainer.experiment_name={hydra_quoted(name)}"]
    env = {"TENSORBOARD_DIR": tensorboard_dir} if "tensorboard" in trackers and not environ.get("TENSORBOARD_DIR") else {}
    return overrides, env
