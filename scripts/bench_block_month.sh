#!/usr/bin/env bash
# The month loop's figures in the README ("Performance"): BM_BlockMonth, one
# month of one block of members, repeated (default 5 times), printed as the
# median and the range of member-months per second of CPU time per case, with
# the machine's load. Usage: scripts/bench_block_month.sh [BENCH_BINARY] [REPETITIONS]
# (default build/bench/mfgsim_bench, configured with -DMFGSIM_BUILD_BENCH=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-build/bench/mfgsim_bench}
repetitions=${2:-5}
json=$(mktemp)
trap 'rm -f "$json"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" --benchmark_filter='BM_BlockMonth' --benchmark_repetitions="$repetitions" \
  --benchmark_format=json >"$json"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$json" <<'PY'
import json, statistics, sys
runs = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type") == "iteration":
        runs.setdefault(b["run_name"], []).append(b["items_per_second"] / 1e6)
print(f"{'case':45} {'median':>8} {'min':>8} {'max':>8}  (M member-months/s)")
for name, values in runs.items():
    print(f"{name:45} {statistics.median(values):8.2f} {min(values):8.2f} {max(values):8.2f}")
PY
