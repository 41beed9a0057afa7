#!/usr/bin/env bash
# PyTorch on the CPU for the tiny-torch recipe's test: Debian's python3-torch, which runs under /usr/bin/python3
# only (the python3 first on PATH may be another interpreter; see the platform notes). Installs it when missing.
# Usage: torch.sh start|stop. Idempotent; there is no daemon, so `stop` has nothing to stop.
set -euo pipefail

start() {
  if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then return 0; fi
  flock /tmp/apt.lock apt-get install -y --no-install-recommends python3-torch >/dev/null \
    || { flock /tmp/apt.lock apt-get update >/dev/null && flock /tmp/apt.lock apt-get install -y --no-install-recommends python3-torch >/dev/null; }
  /usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
}

case "${1:-}" in
  start) start ;;
  stop) : ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
