#!/bin/sh
# One roster over N shards on several machines with GNU parallel over SSH
# (README.md, "Batches"). Usage: deploy/parallel-ssh.sh ROSTER OUTDIR N HOSTS
# HOSTS is a --sshloginfile: one "[ncores/]user@host" a line (":" is this
# machine). qujat, the roster and OUTDIR must be at the same paths on every
# host (OUTDIR on a shared file system such as NFS). The joblog stays here;
# run again after a failure and only the failed shards run again.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 ROSTER OUTDIR N HOSTS" >&2; exit 1; }
roster=$1 out=$2 n=$3 hosts=$4
qujat=${QUJAT:-qujat}
mkdir -p "$out"
seq 1 "$n" | parallel --sshloginfile "$hosts" --joblog "$out/joblog" --resume-failed \
	--halt never \
	"$qujat" certificates "$roster" --shard '{}'/"$n" --quiet \
	-o "$out/" --manifest "$out/manifest-{}.csv"
