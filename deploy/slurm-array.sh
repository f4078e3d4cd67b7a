#!/bin/sh
# One roster over a Slurm job array (README.md, "Batches"):
#   sbatch --array=0-7 deploy/slurm-array.sh roster.xml out/
# Task SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT prints its shard into
# out/ (a shared file system); resubmit the failed task ids alone
# (sbatch --array=3,5 …): they skip the files already complete.
#SBATCH --job-name=qujat-certificates
#SBATCH --cpus-per-task=2
#SBATCH --mem=512M
#SBATCH --output=qujat-%A_%a.log
set -eu
roster=$1 out=$2
qujat=${QUJAT:-qujat}
: "${SLURM_ARRAY_TASK_ID:?run me with sbatch --array=0-N}"
count=${SLURM_ARRAY_TASK_COUNT:-$((${SLURM_ARRAY_TASK_MAX:-0} + 1))}
exec "$qujat" certificates "$roster" --shard-index "$SLURM_ARRAY_TASK_ID/$count" \
	--jobs "${SLURM_CPUS_PER_TASK:-1}" -o "$out/" \
	--manifest "$out/manifest-$SLURM_ARRAY_TASK_ID.csv"
