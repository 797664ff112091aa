#!/usr/bin/env bash
# The README's walkthrough "Change an assumption", regenerated: runs the
# commands of its first ```sh block (two runs with the same seed, compare,
# plot) with out/ in a temporary folder, prints the comparison the README
# shows and copies two of the plots into scenarios/plots/. From the
# repository root, after building: bash scripts/readme_walkthrough.sh [path/to/mfgsim]
# tests/cli/readme_test.cpp (CliReadme.WalkthroughIsCurrent) runs the same
# commands and checks the README's copy of the output.
set -euo pipefail
mfgsim=$(realpath "${1:-build/mfgsim}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
commands=$(sed -n '/^## Change an assumption/,/^## /p' README.md | sed -n '/^```sh$/,/^```$/p' | grep '^mfgsim ')
while read -r line; do
  read -r -a words <<<"${line//out\//$work/}"
  if [[ ${words[1]} == compare ]]; then
    echo "\$ $line"
    "$mfgsim" "${words[@]:1}" --log-level warn
  else
    "$mfgsim" "${words[@]:1}" --log-level warn >/dev/null
  fi
done <<<"$commands"
for series in carbon_price co2; do
  cp "$work/carbon200/plots/$series.png" "scenarios/plots/walkthrough_carbon200_$series.png"
done
