#!/usr/bin/env bash
# A batch as a Slurm job array: N shards, then one merge once all succeed.
#
#   bash scripts/slurm_array.sh scenarios/batches/levers.yaml 16 out/levers [extra mfgsim batch options]
#
# submits `mfgsim batch BATCH --shard K/N --out OUT.shards/K` as array tasks
# 1..N and `mfgsim merge OUT.shards/* --out OUT` with afterok on the array. A
# task that dies (node failure, time limit) is resubmitted with
# `sbatch --array=K ...` (printed below); --resume makes it continue from its
# checkpoint. Needs a file system shared by the nodes, and mfgsim on PATH or
# MFGSIM=/path/to/mfgsim. Tasks take SLURM_CPUS_PER_TASK threads (default:
# all cores of the node). Set SBATCH_* variables or edit the #SBATCH lines
# for your site's partition, account and time limits.
set -euo pipefail
if (($# < 3)); then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
batch=$1 shards=$2 out=$3
shift 3
mfgsim=${MFGSIM:-$(command -v mfgsim || echo "$(cd "$(dirname "$0")/.." && pwd)/build/mfgsim")}
[[ -x $mfgsim ]] || { echo "slurm_array.sh: mfgsim not found (set MFGSIM=/path/to/mfgsim)" >&2; exit 2; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "slurm_array.sh: SHARDS must be a positive integer" >&2; exit 2; }
# Checked once here, so that a typo fails now rather than in N queued tasks.
"$mfgsim" batch "$batch" --check "$@"
mkdir -p "$out.shards" "$out.logs"
extra=""
(($#)) && extra=$(printf ' %q' "$@")

array=$(sbatch --parsable --job-name="mfgsim-shards" --array="1-$shards" \
  --output="$out.logs/shard-%a.log" --cpus-per-task="${SLURM_CPUS_PER_TASK:-1}" \
  --wrap="$(printf '%q' "$mfgsim") batch $(printf '%q' "$batch") --shard \$SLURM_ARRAY_TASK_ID/$shards \
--out $(printf '%q' "$out.shards")/\$SLURM_ARRAY_TASK_ID --resume --progress log \
--threads \${SLURM_CPUS_PER_TASK:-0}$extra")
merge=$(sbatch --parsable --job-name="mfgsim-merge" --dependency="afterok:$array" \
  --output="$out.logs/merge.log" \
  --wrap="$(printf '%q' "$mfgsim") merge $(printf '%q' "$out.shards")/* --out $(printf '%q' "$out") --progress log")
echo "submitted shards as job array $array (1-$shards) and the merge as job $merge"
echo "logs in $out.logs/; a failed shard K reruns with its checkpoint:"
echo "  sbatch --array=K --output=$out.logs/shard-%a.log --wrap=\"...same command...\" (or rerun this script)"
