#!/usr/bin/env bash
# Headless Chromium for the browser tests (test/report/report-browser.test.ts): Debian's `chromium` package,
# never a downloaded browser. `start` installs it when missing; it runs no daemon, so `stop` has nothing to stop.
set -euo pipefail
case "${1:-}" in
  start)
    if [ -x /usr/bin/chromium ]; then
      echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
      exit 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Another setup script may be using apt at the same time: take the shared lock.
    flock /tmp/apt.lock bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null'
    echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null || true)"
    ;;
  stop)
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
