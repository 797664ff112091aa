#!/usr/bin/env bash
# Installs the Debian packages mfgsim needs to build, test and plot, and those of its Python
# module (python/: pybind11, xarray, pandas, netCDF4, matplotlib, pytest; UDUNITS-2 for the
# units test), and Chromium for the browser test of `mfgsim report`. Idempotent; run as root.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git ccache
  libeigen3-dev libboost-dev libboost-program-options-dev libboost-math-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev librandom123-dev nlohmann-json3-dev libssl-dev
  libnetcdf-dev netcdf-bin libnlopt-dev libnlopt-cxx-dev
  libopenmpi-dev openmpi-bin gnuplot-nox time
  clang libclang-rt-14-dev
  python3 python3-dev pybind11-dev python3-pybind11 python3-numpy python3-xarray python3-pandas
  python3-netcdf4 python3-matplotlib python3-pytest libudunits2-0
  chromium
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
