#!/usr/bin/env bash
# Builds and runs the benchmarks (Release); the README's performance table
# comes from this output. Extra arguments go to Google Benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMFGSIM_BUILD_BENCH=ON -DMFGSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target mfgsim_bench mfgsim
build-bench/bench/mfgsim_bench "$@"
