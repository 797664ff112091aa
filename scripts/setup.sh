#!/usr/bin/env bash
# Installs the Debian packages mfgsim needs to build, test and plot. Idempotent; run as root.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git ccache
  libeigen3-dev libboost-dev libboost-program-options-dev libboost-math-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev librandom123-dev nlohmann-json3-dev libssl-dev
  libnetcdf-dev netcdf-bin libnlopt-dev libnlopt-cxx-dev
  libopenmpi-dev openmpi-bin gnuplot-nox time
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
