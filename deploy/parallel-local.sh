#!/bin/sh
# One roster over N qujat processes on this machine with GNU parallel
# (README.md, "Batches"). Usage: deploy/parallel-local.sh ROSTER OUTDIR N
# Each job is one shard: persons K, K+N, … of the roster, one PDF each
# into OUTDIR. The joblog records every shard; run the same command again
# after a failure and only the failed shards run again (--resume-failed),
# and they skip the files already complete. $QUJAT names the binary.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 ROSTER OUTDIR N" >&2; exit 1; }
roster=$1 out=$2 n=$3
qujat=${QUJAT:-qujat}
mkdir -p "$out"
seq 1 "$n" | parallel --joblog "$out/joblog" --resume-failed --halt never -j "$n" \
	"$qujat" certificates "$roster" --shard '{}'/"$n" --jobs 1 --quiet \
	-o "$out/" --manifest "$out/manifest-{}.csv"
