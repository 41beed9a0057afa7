#!/usr/bin/env bash
# A single-node Slurm cluster on this machine for the Slurm executor's tests: munge, slurmctld and slurmd, started
# without systemd (see platform notes). Accounting is off: jobs are followed with squeue and `scontrol show job`.
# Usage: slurm.sh start|stop. Idempotent; `stop` stops only the daemons this script started (pid files in STATE).
set -euo pipefail
STATE=/var/lib/loop-ci-slurm
CONF=/etc/slurm/slurm.conf
MARKER='# Written by loop .ci/setup/slurm.sh'

start() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v ps >/dev/null; then
    flock /tmp/apt.lock apt-get install -y --no-install-recommends slurm-wlm munge procps >/dev/null \
      || { flock /tmp/apt.lock apt-get update >/dev/null && flock /tmp/apt.lock apt-get install -y --no-install-recommends slurm-wlm munge procps >/dev/null; }
  fi
  if [ -f "$CONF" ] && ! grep -q "^$MARKER" "$CONF"; then
    echo "slurm: $CONF exists and was not written by this script; not touching a real cluster's configuration" >&2
    return 1
  fi
  mkdir -p "$STATE" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /etc/slurm
  chown munge:munge /run/munge
  chown slurm:slurm /var/spool/slurmctld /var/log/slurm 2>/dev/null || true
  [ -s /etc/munge/munge.key ] || { /usr/sbin/mungekey --create --force 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  if ! alive munged; then
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged
    wait_pid munged /run/munge/munged.pid
  fi
  write_conf
  if ! alive slurmctld; then
    /usr/sbin/slurmctld -i
    wait_pid slurmctld /run/slurmctld.pid
  fi
  if ! alive slurmd; then
    /usr/sbin/slurmd
    wait_pid slurmd /run/slurmd.pid
  fi
  for _ in $(seq 1 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then echo "slurm: ready ($(sinfo -h -o '%N %t %c'))"; return 0; fi
    scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true
    sleep 0.5
  done
  echo "slurm: the node never became idle: $(sinfo 2>&1)" >&2
  return 1
}

# slurm.conf for a container: no cgroups, linuxproc tracking; more CPUs than the host so that array tasks and
# concurrent tests are not serialized; finished jobs kept an hour so `scontrol show job` can report them.
write_conf() {
  local host mem
  host=$(hostname -s)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat > "$CONF.new" <<CONF
$MARKER: a single-node test cluster.
ClusterName=loopci
SlurmctldHost=${host}(127.0.0.1)
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmUser=root
ReturnToService=2
MinJobAge=3600
KillWait=5
SchedulerParameters=sched_interval=1
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=${host} NodeAddr=127.0.0.1 CPUs=8 RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  if ! cmp -s "$CONF.new" "$CONF"; then mv "$CONF.new" "$CONF"; else rm -f "$CONF.new"; fi
}

alive() {
  local pid
  pid=$(cat "$STATE/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]
}

wait_pid() {
  for _ in $(seq 1 40); do
    if [ -s "$2" ]; then cp "$2" "$STATE/$1.pid"; return 0; fi
    sleep 0.25
  done
  echo "slurm: $1 did not start; see /var/log/slurm/$1.log" >&2
  return 1
}

stop() {
  if alive slurmctld; then scancel --user=root >/dev/null 2>&1 || true; sleep 1; fi
  for daemon in slurmd slurmctld munged; do
    if alive "$daemon"; then
      local pid; pid=$(cat "$STATE/$daemon.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do alive "$daemon" || break; sleep 0.25; done
      alive "$daemon" && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/$daemon.pid"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
