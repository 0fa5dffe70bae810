#!/usr/bin/env bash
# Sets up and runs every test: unit and property tests, the command-line tool's end-to-end
# tests, the install/consumer test and the Coq proofs (Release build, warnings as errors), a
# smoke pass of the benchmarks, then a sanitizer configuration (AddressSanitizer +
# UndefinedBehaviorSanitizer).
#   MOMENTUM_SANITIZE_TESTS="test_a test_b"  which test executables the sanitizer run builds
#                                            ("all" for every one; default: a fast subset)
#   MOMENTUM_SKIP_SANITIZE=1                 skip the sanitizer configuration
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMOMENTUM_WERROR=ON -DMOMENTUM_BUILD_TOOL=ON \
      -DMOMENTUM_BUILD_BENCH=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
# The benchmarks compile above; a smoke pass proves each runs (the timings are not asserted:
# bench/README.md has the measured table and `bash scripts/bench.sh --full` remakes it).
bash scripts/bench.sh --quick --skip-build --build-dir build --no-baselines

if [[ "${MOMENTUM_SKIP_SANITIZE:-0}" != 1 ]]; then
  # -O1 without debug information: Eigen and Boost.Multiprecision templates at -O2 -g under
  # ASan compile several times slower, for no more findings. The default subset covers the
  # parser, the closed forms, the decomposition, simulation (the fused MPFR loop), powers and
  # noise within the CI budget; "all" builds every test.
  subset=${MOMENTUM_SANITIZE_TESTS:-"test_scalar test_methods test_spectrum test_regions test_worst_case test_simulate test_powers test_noise fuzz_replay_parse"}
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1" \
        -DMOMENTUM_SANITIZE=ON -DMOMENTUM_WERROR=ON -DMOMENTUM_BUILD_PROOFS=OFF \
        -DMOMENTUM_BUILD_BENCH=OFF
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
  if [[ "$subset" == all ]]; then
    cmake --build build-sanitize -j "$jobs"
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs"
  else
    # shellcheck disable=SC2086
    cmake --build build-sanitize -j "$jobs" --target $subset
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -R "^($(echo $subset | tr ' ' '|'))\$"
  fi
fi
