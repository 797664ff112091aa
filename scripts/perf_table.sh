#!/usr/bin/env bash
# The README's whole-job performance table ("Performance"), regenerated:
# each job below runs 5 times as a whole process (`mfgsim run`, results
# written to a temporary folder); the row gives the median wall time, the
# range (fastest-slowest), the largest peak resident set size (GNU time's
# %M) and the median's wall time per member-month in nanoseconds (members x
# months: the same figure for 20,000, 40,000 and 100,000 members and for 120
# and 240 months means the cost is linear in both). From the repository root,
# after building:
#   bash scripts/perf_table.sh [path/to/mfgsim] [runs]
# tests/cli/readme_test.cpp checks that the README's table has a row for
# every job here and no other.
set -euo pipefail
mfgsim=${1:-build/mfgsim}
runs=${2:-5}
outputs=va,long_term_loans,short_term_loans,adoption,upgrade_share,co2,capital,recycling_ratio
jobs=(
  "run scenarios/baseline.yaml --members 20000 --threads 1 --outputs $outputs"
  "run scenarios/baseline.yaml --members 20000 --threads 2 --outputs $outputs"
  "run scenarios/baseline.yaml --members 20000 --threads 1 --outputs $outputs --summary-memory 2048"
  "run scenarios/baseline.yaml --members 20000 --threads 1"
  "run scenarios/baseline.yaml --members 20000 --threads 2"
  "run scenarios/baseline.yaml --members 40000 --threads 1 --outputs $outputs"
  "run scenarios/baseline.yaml --members 100000 --threads 1 --outputs $outputs"
  "run bench/baseline_240_months.yaml --members 20000 --threads 1 --outputs $outputs"
  "run scenarios/baseline.yaml --members 100000 --threads 2 --outputs $outputs"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| command | median | range | peak RSS | ns per member-month |"
echo "|---|---|---|---|---|"
for job in "${jobs[@]}"; do
  members=$(sed -E 's/.*--members ([0-9]+).*/\1/' <<<"$job")
  months=120
  [[ $job == *baseline_240_months* ]] && months=240
  : >"$work/times"
  for ((k = 0; k < runs; ++k)); do
    # shellcheck disable=SC2086 # the job is a list of words
    /usr/bin/time -f "%e %M" -o "$work/one" "$mfgsim" $job --out "$work/r" --log-level warn >/dev/null
    cat "$work/one" >>"$work/times"
  done
  sort -n "$work/times" | awk -v job="mfgsim $job" -v cells=$((members * months)) '
    { t[NR] = $1; if ($2 > rss) rss = $2 }
    END { m = t[int((NR + 1) / 2)]
          printf "| `%s` | %.2f s | %.2f-%.2f s | %d MiB | %.0f |\n", job, m, t[1], t[NR], rss / 1024, 1e9 * m / cells }'
done
