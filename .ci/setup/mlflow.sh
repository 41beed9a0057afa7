#!/usr/bin/env bash
# An MLflow tracking server on this machine for the tracking tests: `mlflow` and `tensorboard` (whose
# EventAccumulator reads back loop's event files) pinned, in their own venv, then `mlflow server` with a SQLite
# backend on 127.0.0.1 and a fixed port, waited for until its REST API answers. Tests find it at
# http://127.0.0.1:$PORT (LOOP_CI_MLFLOW_PORT, default 5055) and the venv's Python at $VENV/bin/python
# (LOOP_CI_MLFLOW_VENV, default /opt/loop-mlflow).
# Its own venv, not the recipes' .venv (python-stack.sh): MLflow's pins (protobuf, pandas, pyarrow, numpy…) and the
# stack's lock then never move each other. Usage: mlflow.sh start|stop. Idempotent: a second start finds MLflow
# installed and the server up in about a second; `stop` ends the server this script started (its pid file).
set -euo pipefail
MLFLOW_VERSION=3.17.2
TENSORBOARD_VERSION=2.21.0
VENV=${LOOP_CI_MLFLOW_VENV:-/opt/loop-mlflow}
PORT=${LOOP_CI_MLFLOW_PORT:-5055}
DATA=${LOOP_CI_MLFLOW_DATA:-/tmp/loop-ci-mlflow}
PIDFILE="$DATA/server.pid"

install() {
  local have
  have="$("$VENV/bin/python" -c 'import mlflow, tensorboard; print(mlflow.__version__, tensorboard.__version__)' 2>/dev/null || true)"
  if [ "$have" = "$MLFLOW_VERSION $TENSORBOARD_VERSION" ]; then return 0; fi
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION" "tensorboard==$TENSORBOARD_VERSION"
}

# Whether the REST API answers (with the venv's Python: no curl needed).
answers() {
  "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$PORT/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default" >/dev/null 2>&1
}

start() {
  install
  if answers; then echo "mlflow: already up on 127.0.0.1:$PORT"; return 0; fi
  mkdir -p "$DATA"
  # One worker and no job runner (MLflow 3's GenAI jobs: a dozen worker processes): the machine has two cores.
  # setsid: the server outlives this script, and `stop` ends its whole process group.
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false setsid "$VENV/bin/mlflow" server --host 127.0.0.1 --port "$PORT" --workers 1 \
    --backend-store-uri "sqlite:///$DATA/mlflow.db" --default-artifact-root "$DATA/artifacts" \
    >"$DATA/server.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 240); do
    if answers; then echo "mlflow: ready $("$VENV/bin/python" -c 'import mlflow; print(mlflow.__version__)') on 127.0.0.1:$PORT"; return 0; fi
    sleep 0.5
  done
  echo "mlflow: the server never answered on 127.0.0.1:$PORT; see $DATA/server.log" >&2
  return 1
}

stop() {
  if [ -f "$PIDFILE" ]; then
    # The server's process group (setsid made it its leader): the gunicorn/uvicorn workers go with it.
    kill -- -"$(cat "$PIDFILE")" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
