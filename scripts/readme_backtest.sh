#!/usr/bin/env bash
# The README's rolling-origin backtest ("Rolling-origin backtests"),
# regenerated: mfgsim backtest of scenarios/backtest_2019.yaml (the baseline
# from 2019-01 with the 2020 slump) at the quarterly origins 2021-06 ...
# 2023-03 against every figure of the data set and the later figures, 10000
# particles, Student-t sector errors, its table as the README shows it, and
# its CRPS-by-origin plot (with the data it draws) copied into
# scenarios/plots/; then scripts/readme_backtest_seeds.sh (the same backtest
# with seeds 1 to 5: the Monte Carlo spread of the scores). The options:
# scripts/readme_backtest_flags.sh. tests/cli/readme_test.cpp runs
# the same commands and compares. From the repository root, after building:
# bash scripts/readme_backtest.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
# shellcheck source=scripts/readme_backtest_flags.sh
source scripts/readme_backtest_flags.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "\$ mfgsim backtest scenarios/backtest_2019.yaml --observed $observed $flags --out out/backtest"
# shellcheck disable=SC2086
"$mfgsim" backtest scenarios/backtest_2019.yaml --observed $observed $flags --out "$work/backtest" --log-level error
cp "$work/backtest/crps_by_origin.png" scenarios/plots/backtest_crps_by_origin.png
cp "$work/backtest/crps_by_origin.dat" scenarios/plots/backtest_crps_by_origin.dat
echo
bash scripts/readme_backtest_seeds.sh "$mfgsim"
