#!/usr/bin/env bash
# Byte-identical outputs of two mfgsim binaries, for refactors:
#   bash scripts/same_outputs.sh OLD_BINARY NEW_BINARY [WORK_DIR]
# Runs both on the same inputs (every shipped scenario stochastic with
# --keep-members and deterministic, firm mode, the levers and lending-grid
# batches, a 2-shard batch and its merge, `mpirun -n 2` when present, plot)
# and compares every file; manifest.json and shard.json without their
# run-specific fields (execution, started_utc, wall_seconds). Exit 0 when
# identical, 1 otherwise (the differing files are listed).
set -u
cd "$(dirname "$0")/.."
old=$(realpath "$1"); new=$(realpath "$2"); work=${3:-$(mktemp -d)}
mkdir -p "$work"
firms_case="$work/firms_case.yaml"
printf 'name: firms_case\nextends: %s/scenarios/baseline.yaml\nintelligent_manufacturing: {mode: firms}\n' "$PWD" > "$firms_case"
produce() {  # BIN OUT
  local bin=$1 out=$2 s n k
  rm -rf "$out"; mkdir -p "$out"
  for s in scenarios/*.yaml; do
    n=$(basename "$s" .yaml)
    "$bin" run "$s" --out "$out/run_$n" --members 40 --keep-members -j 2 --log-level off > "$out/run_$n.stdout" 2>&1
    echo "run $n $?" >> "$out/exit_codes"
    "$bin" run "$s" --out "$out/det_$n" --deterministic -j 1 --log-level off > "$out/det_$n.stdout" 2>&1
    echo "det $n $?" >> "$out/exit_codes"
  done
  "$bin" run "$firms_case" --out "$out/firms" --members 8 -j 2 --log-level off > "$out/firms.stdout" 2>&1
  echo "firms $?" >> "$out/exit_codes"
  for n in levers lending_grid; do
    "$bin" batch "scenarios/batches/$n.yaml" --out "$out/$n" --members 20 --progress off --log-level off \
      > "$out/$n.stdout" 2>&1
    echo "batch $n $?" >> "$out/exit_codes"
  done
  for k in 1 2; do
    "$bin" batch scenarios/batches/levers.yaml --shard "$k/2" --out "$out/shard$k" --members 20 --progress off \
      --log-level off > /dev/null 2>&1
    echo "shard $k $?" >> "$out/exit_codes"
  done
  "$bin" merge "$out/shard1" "$out/shard2" --out "$out/merged" --progress off --log-level off > "$out/merged.stdout" 2>&1
  echo "merge $?" >> "$out/exit_codes"
  if command -v mpirun > /dev/null; then
    mpirun --allow-run-as-root --oversubscribe -n 2 "$bin" batch scenarios/batches/levers.yaml --out "$out/mpi" \
      --members 20 --progress off --log-level off > "$out/mpi.stdout" 2>&1
    echo "mpi $?" >> "$out/exit_codes"
  fi
  "$bin" plot "$out/run_baseline" --observed data/observed.csv --log-level off > "$out/plot.stdout" 2>&1
  echo "plot $?" >> "$out/exit_codes"
}
without_run_fields() {
  python3 -c '
import json, sys
def clean(x):
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items() if k not in ("execution", "started_utc", "wall_seconds")}
    return [clean(v) for v in x] if isinstance(x, list) else x
print(json.dumps(clean(json.load(open(sys.argv[1]))), sort_keys=True))' "$1"
}
produce "$old" "$work/old"
produce "$new" "$work/new"
different=0
while IFS= read -r f; do
  if [ ! -f "$work/new/$f" ]; then echo "only in old: $f"; different=1; continue; fi
  case $f in
    *manifest.json | *shard.json)
      [ "$(without_run_fields "$work/old/$f")" = "$(without_run_fields "$work/new/$f")" ] || { echo "differs: $f"; different=1; } ;;
    *.png | *.svg) ;;  # drawn by gnuplot from the compared .gp and .dat files
    */mfgsim_files.json) ;;  # plot's record of what it wrote: digests of those drawings too
    *) cmp -s "$work/old/$f" "$work/new/$f" || { echo "differs: $f"; different=1; } ;;
  esac
done < <(cd "$work/old" && find . -type f | sort)
while IFS= read -r f; do [ -f "$work/old/$f" ] || { echo "only in new: $f"; different=1; }; done \
  < <(cd "$work/new" && find . -type f | sort)
echo "$( (cd "$work/old" && find . -type f) | wc -l) files: $([ $different = 0 ] && echo identical || echo DIFFERENT)"
exit $different
