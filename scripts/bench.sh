#!/usr/bin/env bash
# Builds and runs the benchmarks (Release, native): the README's performance
# table comes from this output. Extra arguments go to Google Benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMFGSIM_BUILD_BENCH=ON -DMFGSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target mfgsim_bench mfgsim
build-bench/bench/mfgsim_bench "$@"
# Whole-process timings and peak memory (GNU time's maximum resident set size).
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {
  /usr/bin/time -f "%e s wall, %M KiB peak" build-bench/mfgsim "$@" --out "$out/r" --log-level warn >/dev/null 2>"$out/time" || { cat "$out/time"; exit 1; }
  printf '%-110s %s\n' "mfgsim $*" "$(tail -n 1 "$out/time")"
}
measure run scenarios/baseline.yaml --deterministic
measure run scenarios/baseline.yaml --members 1000 --threads 2
measure run scenarios/baseline.yaml --members 10000 --threads 2
measure run scenarios/baseline.yaml --members 10000 --threads 2 --summary-memory 64
measure run scenarios/baseline.yaml --members 20000 --threads 1 --outputs va,long_term_loans,short_term_loans,adoption,upgrade_share,co2,capital,recycling_ratio
