#!/usr/bin/env bash
# The README's backtest with seeds 1 to 5 ("Rolling-origin backtests"): the
# command of scripts/readme_backtest.sh with --seed 1 .. 5, one line of
# scores per seed from its backtest_scores.csv: how far the particle filter's
# Monte Carlo error moves the scores. Writes nothing outside a temporary
# folder; tests/cli/readme_test.cpp runs it and compares with the README.
# From the repository root, after building:
# bash scripts/readme_backtest_seeds.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
# shellcheck source=scripts/readme_backtest_flags.sh
source scripts/readme_backtest_flags.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "\$ for seed in 1 2 3 4 5; do mfgsim backtest ... --seed \$seed; done  # as above, one line per seed"
echo "seed | all industry: CRPS  cov90  skill vs last, year-ago | manufacturing: CRPS  cov90  skill vs last, year-ago"
for seed in 1 2 3 4 5; do
  # shellcheck disable=SC2086
  "$mfgsim" backtest scenarios/backtest_2019.yaml --observed $observed $flags --seed "$seed" \
    --out "$work/seed$seed" --log-level error >/dev/null
  awk -F, -v seed="$seed" '
    $1 == "all industry" || $1 == "manufacturing" {
      s[$1] = sprintf("%5.2f  %4.0f%%  %+.2f, %+.2f", $5, 100 * $7, $12, $17) }
    END { printf "%4d |               %s |                %s\n", seed, s["all industry"], s["manufacturing"] }' \
    "$work/seed$seed/backtest_scores.csv"
done
