#!/usr/bin/env bash
# Fuzzes the input readers with libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer):
#
#   bash scripts/fuzz.sh [TARGET|all] [SECONDS]     (defaults: all, 60)
#
# TARGET is fuzz_scenario, fuzz_batch or fuzz_csv (tests/fuzz/); `all` runs
# them one after the other, SECONDS each. Configures and builds build-fuzz
# (-DMFGSIM_FUZZ=ON), seeds build-fuzz/seeds/TARGET afresh from the shipped
# scenarios, batches and data files, and grows build-fuzz/corpus/TARGET (kept
# between runs, never committed). Exits non-zero if a target crashed, hung,
# leaked or ran out of memory, and prints where the input that did it is
# (build-fuzz/artifacts/TARGET/). Reproduce with
#   build-fuzz/tests/fuzz/TARGET ARTIFACT
# and add the input as a regression test (tests/scenario/fuzz_regression_test.cpp).
#
# Environment: FUZZ_TIMEOUT (seconds one input may take before it counts as a
# hang, default 60), FUZZ_RSS_MB (memory limit, default 2048).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(fuzz_scenario fuzz_batch fuzz_csv)
target=${1:-all}
seconds=${2:-60}
if [[ $target != all && ! " ${targets[*]} " =~ " $target " ]]; then
  echo "usage: $0 [fuzz_scenario|fuzz_batch|fuzz_csv|all] [SECONDS]" >&2
  exit 2
fi
[[ $target == all ]] || targets=("$target")

build=build-fuzz
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
  -DMFGSIM_FUZZ=ON -DMFGSIM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"

# Seeds, written afresh each run (the corpus dirs keep what the fuzzer found).
seed() {
  local name=$1 dir=$build/seeds/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  case $name in
    fuzz_scenario)
      # Inputs are read as scenarios/fuzz.yaml: the examples' paths
      # (../baseline.yaml, ../../data/, data/) are rewritten to resolve from there.
      cp scenarios/*.yaml "$dir/"
      for f in scenarios/examples/*.yaml; do
        sed -e 's#\.\./baseline\.yaml#baseline.yaml#g' -e 's#\.\./\.\./data/#../data/#g' \
          -e 's#: data/#: examples/data/#g' "$f" >"$dir/example_$(basename "$f")"
      done
      ;;
    fuzz_batch)
      cp scenarios/batches/*.yaml "$dir/"
      ;;
    fuzz_csv)
      # First byte: the reader (tests/fuzz/fuzz_csv.cpp); every CSV under every reader.
      local files=(data/*.csv scenarios/examples/data/*.csv)
      printf '%s\n' 'scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95' \
        'baseline,2021-06,,manufacturing_va_ytd_yoy,1,,,,,,,' \
        'baseline,2021-07,coal_mining,va,1e8 month-1,"1.5",0.01,1,1.25,1.5,1.75,2e0' >"$dir/summary.csv.txt"
      for selector in 0 1 2 3 4; do
        for f in "${files[@]}" "$dir/summary.csv.txt"; do
          { printf "\\x3$selector"; cat "$f"; } >"$dir/$selector-$(basename "$f")"
        done
      done
      rm "$dir/summary.csv.txt"
      ;;
  esac
}

status=0
for name in "${targets[@]}"; do
  seed "$name"
  corpus=$build/corpus/$name artifacts=$build/artifacts/$name log=$build/logs/$name.log
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  dict=()
  [[ $name == fuzz_csv ]] || dict=(-dict=tests/fuzz/yaml.dict)
  echo "== $name: ${seconds}s (log: $log)"
  set +e
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$build/tests/fuzz/$name" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-60}" \
    -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$artifacts/" "$corpus" "$build/seeds/$name" >"$log" 2>&1
  rc=$?
  set -e
  # The last status line (executions, coverage) and the run's totals.
  grep -E '^#[0-9]+' "$log" | tail -n 1 || true
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" || true
  if ((rc != 0)); then
    status=1
    echo "!! $name failed (exit $rc):"
    grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|ALARM|out-of-memory' "$log" | head -n 20
    # "Test unit written to build-fuzz/artifacts/TARGET/crash-...": the input.
    grep -E 'Test unit written to' "$log" | sed 's/.*Test unit written to /   input: /'
  fi
done
exit $status
