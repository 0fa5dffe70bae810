#!/usr/bin/env bash
# Sets up and runs every test: unit and property tests, the command-line tool's end-to-end
# tests, the install/consumer test and the Coq proofs (Release build, warnings as errors),
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMOMENTUM_WERROR=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [[ "${MOMENTUM_SKIP_SANITIZE:-0}" != 1 ]]; then
  # -O1 without debug information: Eigen and Boost.Multiprecision templates at -O2 -g under
  # ASan compile several times slower, for no more findings.
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1" \
        -DMOMENTUM_SANITIZE=ON -DMOMENTUM_WERROR=ON -DMOMENTUM_BUILD_PROOFS=OFF \
        -DMOMENTUM_BUILD_BENCH=OFF
  cmake --build build-sanitize -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -LE slow
fi
