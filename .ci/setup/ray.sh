#!/usr/bin/env bash
# A one-node Ray cluster on this machine for the Ray executor's tests: `ray[default]` (the dashboard and its Jobs
# REST API) pinned, in its own venv, then `ray start --head` with a fixed dashboard port, waited for until the Jobs
# API answers. Tests find it at http://127.0.0.1:$PORT (LOOP_CI_RAY_DASHBOARD_PORT, default 8265).
# Its own venv, not the recipes' .venv (python-stack.sh): Ray's pins (grpcio, protobuf, pydantic…) and the stack's
# lock then never move each other. Usage: ray.sh start|stop. Idempotent: a second start finds Ray installed and the
# cluster up in about a second; `stop` runs `ray stop`, which ends the Ray processes this user started.
set -euo pipefail
RAY_VERSION=2.60.0
VENV=${LOOP_CI_RAY_VENV:-/opt/loop-ray}
PORT=${LOOP_CI_RAY_DASHBOARD_PORT:-8265}
GCS_PORT=${LOOP_CI_RAY_GCS_PORT:-6390}
RAY="$VENV/bin/ray"

install() {
  if [ -x "$RAY" ] && [ "$("$VENV/bin/python" -c 'import ray; print(ray.__version__)' 2>/dev/null)" = "$RAY_VERSION" ]; then
    return 0
  fi
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "ray[default]==$RAY_VERSION"
}

# Whether the Jobs API answers (with the venv's Python: no curl needed).
answers() {
  "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$PORT/api/version" >/dev/null 2>&1
}

start() {
  install
  if answers; then echo "ray: already up, dashboard on 127.0.0.1:$PORT"; return 0; fi
  # RAY_ADDRESS in the environment would make `ray start --head` think a cluster exists elsewhere.
  env -u RAY_ADDRESS "$RAY" start --head --port="$GCS_PORT" --dashboard-host=127.0.0.1 --dashboard-port="$PORT" \
    --include-dashboard=true --num-cpus=2 --disable-usage-stats >/dev/null
  for _ in $(seq 1 120); do
    if answers; then echo "ray: ready $("$VENV/bin/python" -c 'import ray; print(ray.__version__)'), dashboard on 127.0.0.1:$PORT"; return 0; fi
    sleep 0.5
  done
  echo "ray: the dashboard never answered on 127.0.0.1:$PORT; see /tmp/ray/session_latest/logs/dashboard.log" >&2
  return 1
}

stop() {
  if [ -x "$RAY" ]; then "$RAY" stop >/dev/null 2>&1 || true; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
