#!/usr/bin/env bash
# Installs the Debian packages momentum needs. Idempotent and non-interactive: does nothing when
# everything is already installed.
#   scripts/install-deps.sh               everything: build, test, benchmark and check the proofs
#                                         (scripts/test.sh)
#   scripts/install-deps.sh --tool        only what building and running the `momentum` tool
#                                         needs (scripts/demo.sh): a compiler, CMake and the
#                                         header libraries and OpenBLAS (with their dependencies about 750 MB
#                                         installed, against 2.4 GB for everything)
#   scripts/install-deps.sh --only P...   just the packages P... (scripts/bench.sh uses it)
# The tool's packages (tests/deps/check_tool_deps.sh checks that CMake's configure of the tool
# alone reaches nothing else): libopenblas-dev and liblapacke-dev are Eigen's BLAS and LAPACK
# backend for double (MOMENTUM_OPENBLAS, on when found); librsvg2-bin is rsvg-convert, for the
# tool's PNG plots;
# pybind11-dev and python3-dev build the Python package (python/) for Debian's python3.
# The rest, for the tests: doctest-dev (unit and end-to-end tests), libbenchmark-dev (bench/),
# coq (proofs/), clang-14 and libclang-rt-14-dev (the sanitizer build and the libFuzzer
# fuzzers), valgrind (memcheck of the high-precision paths), libslepc-real-dev and openmpi-bin
# (the distributed path on SLEPc/PETSc with MPI), and the Python package's tests (pytest on
# numpy, scipy, torch, mpmath): well over a gigabyte.
set -euo pipefail
tool_packages=(
  g++ cmake make
  libeigen3-dev libboost-dev libmpfr-dev libgmp-dev
  libcli11-dev nlohmann-json3-dev libspectra-dev
  libopenblas-dev liblapacke-dev
  librsvg2-bin
  pybind11-dev python3-dev
)
test_packages=(
  doctest-dev libbenchmark-dev
  coq
  clang-14 libclang-rt-14-dev
  valgrind
  libslepc-real-dev openmpi-bin
  python3-pybind11 python3-numpy python3-scipy python3-pytest python3-torch python3-mpmath
)
packages=("${tool_packages[@]}" "${test_packages[@]}")
case "${1:-}" in
  --tool) packages=("${tool_packages[@]}") ;;
  --only)
    shift
    packages=("$@") ;;
  "") ;;
  *) echo "install-deps: unknown argument '$1' (--tool, --only P..., or nothing: everything)" >&2
     exit 2 ;;
esac
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
