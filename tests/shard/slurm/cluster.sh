#!/usr/bin/env bash
# A throw-away one-node Slurm cluster for tests/shard/slurm.test.ts: munged on its own socket, then slurmctld and
# slurmd on 127.0.0.1, everything (key, state, spool, logs, pids) under DIR, no systemd, no accounting.
#   cluster.sh start DIR    prints the slurm.conf path; export SLURM_CONF=<it> before sbatch/squeue/scancel
#   cluster.sh stop DIR     stops the three daemons it started (by their pid files)
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm + munge.
set -euo pipefail
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_for() { # seconds, description, command...
  local n=$(($1 * 10)) what=$2; shift 2
  for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "cluster.sh: $what did not come up; logs under $dir" >&2
  tail -n 20 "$dir"/*.log >&2 || true
  return 1
}

case $cmd in
start)
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 700 "$dir/munge"
  head -c 1024 /dev/urandom >"$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  munged --force --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed"
  wait_for 10 munged test -S "$dir/munge/munge.sock"
  ctld=$(free_port); slurmd_port=$(free_port)
  while [ "$slurmd_port" = "$ctld" ]; do slurmd_port=$(free_port); done
  cat >"$dir/slurm.conf" <<CONF
ClusterName=mtebts
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
InactiveLimit=0
KillWait=1
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -c -f "$dir/slurm.conf"
  wait_for 20 slurmctld scontrol ping
  slurmd -N localhost -f "$dir/slurm.conf"
  wait_for 20 slurmd bash -c "sinfo -h -N -o %t | grep -Eq '^(idle|mix|alloc)'"
  echo "$dir/slurm.conf"
  ;;
stop)
  for p in slurmd.pid slurmctld.pid munge/munged.pid; do
    if [ -f "$dir/$p" ]; then kill "$(cat "$dir/$p")" 2>/dev/null || true; fi
  done
  ;;
*) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
