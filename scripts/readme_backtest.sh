#!/usr/bin/env bash
# The README's rolling-origin backtest ("Rolling-origin backtests"),
# regenerated: mfgsim backtest of the shipped baseline at the quarterly
# origins 2022-03 ... 2023-03 against every figure of the data set and the
# later figures, its table as the README shows it, and its CRPS-by-origin plot
# (with the data it draws) copied into scenarios/plots/.
# tests/cli/readme_test.cpp runs the same command and compares. From the
# repository root, after building: bash scripts/readme_backtest.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "\$ mfgsim backtest scenarios/baseline.yaml --observed data/industry_figures.csv data/observed.csv tests/data/later_figures.csv --origins 2022-03:2023-03:3 --out out/backtest"
"$mfgsim" backtest scenarios/baseline.yaml --observed data/industry_figures.csv data/observed.csv \
  tests/data/later_figures.csv --origins 2022-03:2023-03:3 --out "$work/backtest" --log-level error
cp "$work/backtest/crps_by_origin.png" scenarios/plots/backtest_crps_by_origin.png
cp "$work/backtest/crps_by_origin.dat" scenarios/plots/backtest_crps_by_origin.dat
