#!/usr/bin/env bash
# The defaults of `trend_shocks:` (models/MODEL.md "Persistent trend"),
# estimated by maximum likelihood with the particle filter's likelihood
# estimate: for each value on a grid, the baseline with that value is filtered
# on data/observed.csv up to 2023-06 (1000 particles, figure sd 3 points) and
# the sum of ess.csv's log_likelihood_increment is printed for seeds 1-10,
# then their mean (the estimate's noise: its sd over the seeds / sqrt(10)).
# From the repository root, after building: bash scripts/estimate_trend.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid() {  # KEY VALUE...: one line per value
  local key=$1
  shift
  for value in "$@"; do
    printf '%s %s:' "$key" "$value"
    printf 'name: t\nextends: %s/scenarios/baseline.yaml\ntrend_shocks: {%s: %s}\n' "$PWD" "$key" "$value" > "$work/t.yaml"
    for seed in $(seq 1 10); do
      "$mfgsim" forecast "$work/t.yaml" --origin 2023-06 --observed data/observed.csv --out "$work/f" --members 1000 \
        --seed "$seed" --obs-sd-points 3 --log-level warn > /dev/null
      awk -F, 'NR > 1 { s += $5 } END { printf "%.2f\n", s }' "$work/f/ess.csv"
    done | awk '{ printf " %s", $1; s += $1; ss += $1 * $1; n++ }
                END { m = s / n; printf "  mean %.2f +- %.2f\n", m, sqrt((ss - n * m * m) / (n - 1) / n) }'

  done
}
grid drift_sigma 0 0.001 0.0025 0.005
grid drift_persistence 0.9 0.95 1
grid level_sigma 0 0.005 0.01
