#!/usr/bin/env bash
# The README's sweep example, regenerated: runs scenarios/batches/levers.yaml,
# copies its two fan charts and a difference chart into scenarios/batches/plots/ ("Batches and
# sweeps") and prints the table of "Comparing forecasts". From the repository
# root, after building: bash scripts/readme_levers.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mfgsim" batch scenarios/batches/levers.yaml --out "$work/levers" --progress off --log-level warn
"$mfgsim" plot "$work/levers" --observed data/observed.csv --out "$work/plots" --log-level warn
"$mfgsim" plot "$work/levers" --difference --series manufacturing_va_ytd_yoy --out "$work/difference" --log-level warn
for series in manufacturing_va_ytd_yoy co2; do
  cp "$work/plots/$series.png" "scenarios/batches/plots/levers_$series.png"
done
# The difference chart's data go beside it: tests/cli/readme_test.cpp checks them.
for f in png dat; do
  cp "$work/difference/manufacturing_va_ytd_yoy_difference.$f" "scenarios/batches/plots/levers_manufacturing_va_ytd_yoy_difference.$f"
done
echo "\$ mfgsim compare out/levers --top 3 --series manufacturing_va_ytd_yoy"
"$mfgsim" compare "$work/levers" --top 3 --series manufacturing_va_ytd_yoy --out "$work/compare.csv" --log-level warn |
  sed -n '/^sweep samples/,$p'
