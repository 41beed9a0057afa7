#!/usr/bin/env bash
# An sshd on 127.0.0.1 for the SSH executor's tests, started without systemd (see platform notes): a non-default
# port, key-only login for the current user, keys in a mode-700 folder outside /tmp (sshd's StrictModes).
# Tests find it through STATE: client_key (identity file), known_hosts, port.
# Usage: sshd.sh start|stop. Idempotent; `stop` stops only the sshd this script started.
set -euo pipefail
STATE=/var/lib/loop-ci-sshd
PORT=${LOOP_CI_SSHD_PORT:-22022}

start() {
  # rsync: what shared_filesystem: false copies with (tests also exercise the tar fallback).
  if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null || ! command -v ps >/dev/null || ! command -v rsync >/dev/null; then
    flock /tmp/apt.lock apt-get install -y --no-install-recommends openssh-server openssh-client procps rsync >/dev/null \
      || { flock /tmp/apt.lock apt-get update >/dev/null && flock /tmp/apt.lock apt-get install -y --no-install-recommends openssh-server openssh-client procps rsync >/dev/null; }
  fi
  mkdir -p "$STATE" /run/sshd
  chmod 700 "$STATE"
  [ -f "$STATE/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/host_key"
  [ -f "$STATE/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/client_key"
  cp "$STATE/client_key.pub" "$STATE/authorized_keys"
  chmod 600 "$STATE/authorized_keys"
  echo "[127.0.0.1]:$PORT $(cat "$STATE/host_key.pub")" > "$STATE/known_hosts"
  echo "$PORT" > "$STATE/port"
  cat > "$STATE/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $STATE/host_key
PidFile $STATE/sshd.pid
AuthorizedKeysFile $STATE/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
MaxSessions 50
MaxStartups 50:30:100
CONF
  if ! alive; then
    /usr/sbin/sshd -f "$STATE/sshd_config"
  fi
  for _ in $(seq 1 40); do
    if ssh -q -o BatchMode=yes -o UserKnownHostsFile="$STATE/known_hosts" -i "$STATE/client_key" -p "$PORT" 127.0.0.1 true 2>/dev/null; then
      echo "sshd: ready on 127.0.0.1:$PORT"; return 0
    fi
    sleep 0.25
  done
  echo "sshd: cannot log in to 127.0.0.1:$PORT" >&2
  return 1
}

alive() {
  local pid
  pid=$(cat "$STATE/sshd.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]
}

stop() {
  if alive; then
    local pid; pid=$(cat "$STATE/sshd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do alive || break; sleep 0.25; done
  fi
  rm -f "$STATE/sshd.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
