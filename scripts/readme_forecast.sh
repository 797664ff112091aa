#!/usr/bin/env bash
# The README's "Forecasting from the data" example, regenerated: the shipped
# baseline conditioned on data/observed.csv up to 2023-06 (mfgsim forecast),
# its table as the README shows it. tests/cli/readme_test.cpp runs the same
# command and compares. From the repository root, after building:
#   bash scripts/readme_forecast.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "\$ mfgsim forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --out out/forecast"
"$mfgsim" forecast scenarios/baseline.yaml --origin 2023-06 --observed data/observed.csv --out "$work/forecast" \
  --log-level warn
# The fan chart the README shows, with its data (the test compares the data).
"$mfgsim" plot "$work/forecast" --observed data/observed.csv --series manufacturing_va_ytd_yoy --out "$work/plots" \
  --log-level error
cp "$work/plots/manufacturing_va_ytd_yoy.png" scenarios/plots/forecast_manufacturing_va_ytd_yoy.png
cp "$work/plots/manufacturing_va_ytd_yoy.dat" scenarios/plots/forecast_manufacturing_va_ytd_yoy.dat
