#!/usr/bin/env bash
# A single-node SLURM cluster on this machine for the slurm test suite (test/slurm/) and
# bench/slurm.ts: munged, slurmctld and slurmd on localhost, one node with this machine's CPUs
# and memory, one partition `debug`. Needs root and the Debian packages slurm-wlm and munge.
# No cgroups: processes are tracked through /proc (proctrack/linuxproc) and memory is enforced
# by polling (jobacct_gather/linux every second with OverMemoryKill), which works in containers.
# Idempotent: running it again with the daemons up only checks that the node answers.
# Exit 0 when the cluster accepts jobs; otherwise 1 with one line on stderr saying why.
set -uo pipefail

why() { echo "slurm: cannot start a test cluster: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || why "needs root (it writes /etc/slurm and starts daemons)"
for c in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$c" >/dev/null 2>&1 || why "\`$c\` is not installed (Debian packages slurm-wlm and munge)"
done

ready() { sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; }

if pgrep -x slurmctld >/dev/null && pgrep -x slurmd >/dev/null && ready; then
  echo "slurm: test cluster already up"
  exit 0
fi

node=$(hostname -s)
cpus=$(nproc)
# Leave room for the system: slurmd refuses a node that claims more than it has.
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.75 }' /proc/meminfo)

# munge: a key, its folders, the daemon
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 2>/dev/null || why "cannot write /etc/munge/munge.key"
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge 2>/dev/null || true
chmod 0400 /etc/munge/munge.key; chmod 0700 /etc/munge; chmod 0755 /run/munge
if ! pgrep -x munged >/dev/null; then
  su -s /bin/sh munge -c munged 2>/dev/null || munged --force 2>/dev/null || why "munged does not start"
fi
munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || why "munge does not authenticate (munge -n | unmunge fails)"

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
# written by test/slurm/start.sh
ClusterName=quasi-test
SlurmctldHost=${node}(127.0.0.1)
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
JobAcctGatherParams=OverMemoryKill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=1000
SchedulerType=sched/backfill
SchedulerParameters=defer_batch=0
MinJobAge=600
MaxArraySize=10001
MaxJobCount=50000
KillWait=5
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MpiDefault=none
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF

pgrep -x slurmctld >/dev/null || slurmctld -c 2>/dev/null || why "slurmctld does not start (see /var/log/slurm/slurmctld.log)"
pgrep -x slurmd >/dev/null || slurmd 2>/dev/null || why "slurmd does not start (see /var/log/slurm/slurmd.log)"

for _ in $(seq 1 30); do
  if ready; then
    echo "slurm: test cluster up (node ${node}, ${cpus} CPUs, ${mem} MB)"
    exit 0
  fi
  # a node that was down in an earlier life comes back with ReturnToService=2; nudge it anyway
  scontrol update NodeName="${node}" State=RESUME >/dev/null 2>&1 || true
  sleep 1
done
why "the node did not become idle within 30 s ($(sinfo -h -o '%T %E' 2>/dev/null | head -1))"
