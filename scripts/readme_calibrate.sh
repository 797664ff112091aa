#!/usr/bin/env bash
# The README's "The shipped baseline" calibration table, regenerated: runs the
# command it shows (the output file in a temporary folder) and writes its
# table into README.md. From the repository root, after building:
#   bash scripts/readme_calibrate.sh [path/to/mfgsim]
# tests/cli/readme_test.cpp (CliReadme.CalibrationTableIsCurrent) runs the same
# command and checks the README's copy (all but the fit's wall time).
set -euo pipefail
mfgsim=$(realpath "${1:-build/mfgsim}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shown='mfgsim calibrate scenarios/baseline.yaml --out out/baseline_calibrated.yaml'
"$mfgsim" calibrate scenarios/baseline.yaml --out "$work/baseline_calibrated.yaml" --log-level warn >"$work/table.txt"
python3 - "$work/table.txt" "$shown" <<'PY'
import sys
table, shown = open(sys.argv[1]).read(), sys.argv[2]
readme = open("README.md").read()
start = readme.index("$ " + shown + "\n") + len("$ " + shown + "\n")
end = readme.index("```", start)
open("README.md", "w").write(readme[:start] + table + readme[end:])
PY
