#!/usr/bin/env bash
# Sets up and runs every test, in two configurations:
# 1. Release (GCC -O3, warnings as errors, Eigen on OpenBLAS/LAPACKE for double): the property tests at volume, the command-line
#    tool's end-to-end tests, the install/consumer test, the Coq proofs, the replay of the
#    fuzzers' regression corpus, valgrind memcheck of the high-precision (MPFR) paths, the
#    distributed path with 2 MPI ranks (when SLEPc is installed), the Python package's tests
#    (pytest) and examples against the package as installed for /usr/bin/python3, and a smoke
#    pass of the benchmarks. The unit tests (tests/test_*.cpp) run here only when configuration 2 does not
#    run them all (compiling them twice would take CI over its budget).
# 2. Sanitizers (Clang, AddressSanitizer + UndefinedBehaviorSanitizer, -O1, warnings as errors,
#    Eigen's own kernels: -DMOMENTUM_OPENBLAS=OFF, so that both backends build and pass):
#    the whole test suite (but the install test; the property tests with fewer cases), then the
#    libFuzzer fuzzers of the number parser, the Matrix Market and .npy readers and the command
#    line, each for FUZZ_SECONDS (60) side by side.
#   MOMENTUM_SANITIZE_TESTS="test_a test_b"  the targets configuration 2 builds and tests
#                                            (default "all"; "quick": a subset, below)
#   MOMENTUM_SKIP_SANITIZE=1                 skip configuration 2 (and the fuzzing)
#   FUZZ_SECONDS=60                          seconds of fuzzing per fuzzer (0: none)
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage's wall time, so that CI's log shows where its budget goes.
stage_start=$SECONDS
stage() {
  echo "test.sh: $1 took $((SECONDS - stage_start)) s (total $SECONDS s)"
  stage_start=$SECONDS
}
bash scripts/install-deps.sh
stage "installing the packages"
jobs=$(nproc)

subset=${MOMENTUM_SANITIZE_TESTS:-all}
unit_tests=ON
if [[ "${MOMENTUM_SKIP_SANITIZE:-0}" != 1 && "$subset" == all ]]; then unit_tests=OFF; fi
# Every option that scripts/demo.sh turns off (in the same build/) is turned back on here.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMOMENTUM_WERROR=ON -DMOMENTUM_BUILD_TOOL=ON \
      -DMOMENTUM_BUILD_TESTS=ON -DMOMENTUM_BUILD_PROOFS=ON -DMOMENTUM_BUILD_MPI=AUTO \
      -DMOMENTUM_BUILD_BENCH=ON -DMOMENTUM_MEMCHECK=ON -DMOMENTUM_BUILD_UNIT_TESTS=$unit_tests \
      -DMOMENTUM_OPENBLAS=ON
cmake --build build -j "$jobs"
stage "the Release build"
ctest --test-dir build --output-on-failure -j "$jobs"
stage "the Release tests"
# The Python package (python/): installed for Debian's /usr/bin/python3 as scripts/demo.sh
# does, then its tests (pytest, against the installed package; the parity tests run the
# built tool) and every example in examples/.
bash scripts/install-python.sh --build-dir build --python /usr/bin/python3
(cd python/tests && MOMENTUM_CLI="$PWD/../../build/momentum" /usr/bin/python3 -m pytest -q -p no:cacheprovider .)
for example in examples/*.py; do
  echo "test.sh: $example"
  (cd "$(mktemp -d)" && /usr/bin/python3 "$OLDPWD/$example")
done
stage "the Python tests and examples"
# The benchmarks compile above; a smoke pass proves each runs (the timings are not asserted:
# bench/README.md has the measured table and `bash scripts/bench.sh --full` remakes it).
bash scripts/bench.sh --quick --skip-build --build-dir build --no-baselines
stage "the benchmarks' smoke pass"

if [[ "${MOMENTUM_SKIP_SANITIZE:-0}" != 1 ]]; then
  # -O1 with line tables only: Eigen and Boost.Multiprecision templates at -O2 -g under ASan
  # compile several times slower, for no more findings. The fuzzers (MOMENTUM_FUZZ) share the
  # instrumented build; ctest replays their regression corpus, then each fuzzes for a minute.
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=None \
        -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DMOMENTUM_SANITIZE=ON -DMOMENTUM_FUZZ=ON \
        -DMOMENTUM_WERROR=ON -DMOMENTUM_BUILD_PROOFS=OFF -DMOMENTUM_BUILD_BENCH=OFF \
        -DMOMENTUM_BUILD_MPI=OFF -DMOMENTUM_OPENBLAS=OFF
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
  # "quick" (for a local run): the unit tests (test_scalar and test_unit: every other
  # tests/test_<header>.cpp), the tool end to end (test_cli: every cli_* suite) and the fuzzers
  # (whose corpus replays are the fuzz_replay_* tests); not the property tests.
  if [[ "$subset" == quick ]]; then
    subset="test_scalar test_unit test_cli fuzz_parse fuzz_matrix_market fuzz_npy fuzz_cli"
  fi
  if [[ "$subset" == all ]]; then
    cmake --build build-sanitize -j "$jobs"
    stage "the sanitizer build"
    # The install test rebuilds a project: no memory-safety content.
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -LE install
  else
    # One target at a time would serialize the build (CMake's Makefiles build the targets of
    # one command in order): the libraries they share first, then the targets side by side.
    cmake --build build-sanitize -j "$jobs" --target momentum momentum_doctest_main momentum_cli_lib
    # shellcheck disable=SC2086
    printf '%s\n' $subset | xargs -P "$jobs" -I{} cmake --build build-sanitize --target {}
    stage "the sanitizer build"
    tests=()
    for t in $subset; do
      case $t in
        test_cli) tests+=("cli_.*") ;;
        # test_unit and test_property: one ctest test per file, named after it and labelled
        # "unit" or "property".
        test_unit | test_property)
          mapfile -t named < <(ctest --test-dir build-sanitize -N -L "^${t#test_}\$" |
                                 sed -n 's/^ *Test *#[0-9]*: //p')
          tests+=("${named[@]}") ;;
        fuzz_*) tests+=("fuzz_replay_${t#fuzz_}") ;;
        *) tests+=("$t") ;;
      esac
    done
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs" \
          -R "^($(IFS='|'; echo "${tests[*]}"))\$"
  fi
  stage "the sanitizer tests"
  if [[ "${FUZZ_SECONDS:-60}" != 0 ]]; then
    FUZZ_BUILD_DIR=build-sanitize ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 bash scripts/fuzz.sh --skip-build
    stage "fuzzing"
  fi
fi
