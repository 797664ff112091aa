#!/usr/bin/env bash
# The README's rolling-origin backtest ("Rolling-origin backtests"),
# regenerated: mfgsim backtest of scenarios/backtest_2019.yaml (the baseline
# from 2019-01 with the 2020 slump) at the quarterly origins 2021-06 ...
# 2023-03 against every figure of the data set and the later figures, 2000
# particles, Student-t sector errors, its table as the README shows it, and
# its CRPS-by-origin plot (with the data it draws) copied into
# scenarios/plots/. tests/cli/readme_test.cpp runs the same command and
# compares. From the repository root, after building:
# bash scripts/readme_backtest.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags="--origins 2021-06:2023-03:3 --members 2000 --sector-dof 3 --sector-sd-points 5 --obs-sd-points 2 --jitter-discount 0.95"
echo "\$ mfgsim backtest scenarios/backtest_2019.yaml --observed data/industry_figures.csv data/observed.csv tests/data/later_figures.csv $flags --out out/backtest"
# shellcheck disable=SC2086
"$mfgsim" backtest scenarios/backtest_2019.yaml --observed data/industry_figures.csv data/observed.csv \
  tests/data/later_figures.csv $flags --out "$work/backtest" --log-level error
cp "$work/backtest/crps_by_origin.png" scenarios/plots/backtest_crps_by_origin.png
cp "$work/backtest/crps_by_origin.dat" scenarios/plots/backtest_crps_by_origin.dat
