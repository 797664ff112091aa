#!/bin/bash
# A batch as one MPI job: `sbatch -N 4 scripts/slurm_mpi.sh BATCH OUT [options]`.
# One rank per node, each using the node's cores as threads; rank 0 hands
# out scenarios, collects the results and writes OUT. Resubmitting the same
# command after a failure resumes from the checkpoint (--resume).
#SBATCH --job-name=mfgsim-mpi
#SBATCH --ntasks-per-node=1
#SBATCH --exclusive
#SBATCH --output=mfgsim-mpi-%j.log
set -euo pipefail
if (($# < 2)); then
  sed -n '2,5p' "$0" >&2
  exit 2
fi
batch=$1 out=$2
shift 2
mfgsim=${MFGSIM:-mfgsim}
exec mpirun "$mfgsim" batch "$batch" --out "$out" --resume --progress log "$@"
