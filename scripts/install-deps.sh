#!/usr/bin/env bash
# Installs the Debian packages momentum needs to build, test, benchmark and check its proofs
# (librsvg2-bin: rsvg-convert, for the tool's PNG plots; clang-14 and libclang-rt-14-dev: the
# libFuzzer fuzzers; valgrind: memcheck of the high-precision paths; libslepc-real-dev and
# openmpi-bin: the distributed path on SLEPc/PETSc with MPI).
# Idempotent and non-interactive: does nothing when everything is already installed.
#   scripts/install-deps.sh               the packages below
#   scripts/install-deps.sh --only P...   just the packages P... (scripts/bench.sh uses it)
set -euo pipefail
packages=(
  g++ cmake make
  libeigen3-dev libboost-dev libmpfr-dev libgmp-dev
  doctest-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libspectra-dev
  coq
  librsvg2-bin
  clang-14 libclang-rt-14-dev
  valgrind
  libslepc-real-dev openmpi-bin
)
if [[ "${1:-}" == --only ]]; then
  shift
  packages=("$@")
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
