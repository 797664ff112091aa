#!/usr/bin/env bash
# The README's plots of the shipped baseline ("Plots"), regenerated: runs
# scenarios/baseline.yaml as the README's first command does and copies its
# fan charts, calendar-year view and published-against-model charts into scenarios/plots/. From the
# repository root, after building: bash scripts/readme_plots.sh [path/to/mfgsim].
# Also redraws the Morris chart of "Sensitivity" and prints its table.
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mfgsim" run scenarios/baseline.yaml --out "$work/baseline" --log-level warn >/dev/null
"$mfgsim" plot "$work/baseline" --observed data/observed.csv --out "$work/plots" --log-level warn
"$mfgsim" plot "$work/baseline" --observed data/observed.csv --annual --out "$work/annual" --log-level warn
# The data each picture draws go beside it: tests/cli/readme_test.cpp checks
# that plotting the baseline still gives them.
for f in manufacturing_va_ytd_yoy co2 targets published; do
  cp "$work/plots/$f.png" "$work/plots/$f.dat" scenarios/plots/
done
cp "$work/annual/manufacturing_va_ytd_yoy_annual.png" "$work/annual/manufacturing_va_ytd_yoy_annual.dat" scenarios/plots/
# "Reports": the top of the baseline's report.html, as headless Chromium draws it.
"$mfgsim" report "$work/baseline" --observed data/observed.csv --log-level warn
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
  --screenshot="$work/report.png" "file://$(realpath "$work/baseline/report.html")" 2>/dev/null
cp "$work/report.png" scenarios/plots/report.png
# "Sensitivity": the Morris chart and the table the README shows.
"$mfgsim" sensitivity scenarios/baseline.yaml --method morris --parameters calibration --at 2023-06 \
  --out "$work/morris" --log-level warn > "$work/morris.txt"
cp "$work/morris/sensitivity.png" scenarios/batches/plots/baseline_morris_calibration.png
echo "\$ mfgsim sensitivity scenarios/baseline.yaml --method morris --parameters calibration --at 2023-06"
cat "$work/morris.txt"
