#!/usr/bin/env bash
# The README's scenario-discovery example ("Scenario discovery"), regenerated:
# runs scenarios/batches/levers.yaml and asks which lever ranges give
# manufacturing growth of at least 7% in 2030 with probability 0.8, then of
# at least 6.5% with probability 0.5; prints both tables and copies the
# second's trajectory chart and its data into scenarios/batches/plots/.
# tests/cli/readme_test.cpp checks the tables and the data against the build.
# From the repository root, after building: bash scripts/readme_discover.sh [path/to/mfgsim]
set -euo pipefail
mfgsim=${1:-build/mfgsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mfgsim" batch scenarios/batches/levers.yaml --out "$work/levers" --progress off --log-level warn
echo "\$ mfgsim discover out/levers --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07'"
"$mfgsim" discover "$work/levers" --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.07' \
  --out "$work/discover_7" --log-level warn
echo "\$ mfgsim discover out/levers --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.065' --min-probability 0.5"
"$mfgsim" discover "$work/levers" --series manufacturing_va_ytd_yoy --at 2030-12 --where '>= 0.065' \
  --min-probability 0.5 --out "$work/discover" --log-level warn
for f in png dat; do
  cp "$work/discover/trajectory.$f" "scenarios/batches/plots/levers_discover_trajectory.$f"
done
