#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for `upscale slurm` tests and trials (issue 18).
#   scripts/slurm-cluster.sh up     install slurm/munge when missing (apt-get), write a one-node
#                                   slurm.conf (this host, its cores and memory), start munged,
#                                   slurmctld and slurmd, wait until the node is idle
#   scripts/slurm-cluster.sh down   stop exactly the daemons `up` started (by their pid files)
#   scripts/slurm-cluster.sh env    print `export SLURM_CONF=...` for the clients (sbatch, squeue)
# Everything lives in $SLURM_DIR (default .build/slurm): config, state, logs, a private munge key
# and socket, so a real Slurm or munge set-up on the machine is not touched. Runs as root (the
# daemons' user); elsewhere it says so and exits 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mkdir -p "${SLURM_DIR:-$root/.build/slurm}" && cd "${SLURM_DIR:-$root/.build/slurm}" && pwd)
conf=$dir/slurm.conf
sock=$dir/munge/munge.socket

need_root() { [ "$(id -u)" = 0 ] || { echo "slurm-cluster: the local cluster's daemons run as root (run with sudo)" >&2; exit 1; }; }

install() {
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
     || ! command -v munged >/dev/null; then
    echo "slurm-cluster: installing slurmctld, slurmd, slurm-client and munge (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge
  fi
}

write_conf() {
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  cat > "$conf" <<EOF
# One-node cluster written by scripts/slurm-cluster.sh (upscale); not for production.
ClusterName=upscale-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
SlurmctldPort=6917
SlurmdPort=6918
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobRequeue=1
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=600
KillWait=5
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

up() {
  need_root
  install
  write_conf
  if ! alive "$dir/munged.pid"; then
    [ -f "$dir/munge/munge.key" ] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; chmod 600 "$dir/munge/munge.key"; }
    munged --force --socket="$sock" --key-file="$dir/munge/munge.key" --pid-file="$dir/munged.pid" \
      --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  fi
  export SLURM_CONF=$conf
  alive "$dir/slurmctld.pid" || slurmctld -f "$conf"
  alive "$dir/slurmd.pid" || slurmd -f "$conf"
  for _ in $(seq 60); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
    case "$state" in
      idle|mixed|allocated) echo "slurm-cluster: node $(hostname -s) is $state ($(nproc) cores); export SLURM_CONF=$conf"; return 0 ;;
    esac
    [ "$state" = down ] || [ "$state" = drained ] && scontrol update nodename="$(hostname -s)" state=resume 2>/dev/null || true
    sleep 1
  done
  echo "slurm-cluster: the node did not become idle in 60 s (logs in $dir/log)" >&2
  exit 1
}

down() {
  for d in slurmd slurmctld munged; do
    if alive "$dir/$d.pid"; then
      pid=$(cat "$dir/$d.pid")
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      echo "slurm-cluster: stopped $d (pid $pid)"
    fi
    rm -f "$dir/$d.pid"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) echo "usage: scripts/slurm-cluster.sh up|down|env" >&2; exit 1 ;;
esac
