#!/usr/bin/env bash
# Fuzzes the number parser, the Matrix Market and .npy readers and the command line with
# libFuzzer (tests/fuzz/): builds the fuzzers with Clang (AddressSanitizer +
# UndefinedBehaviorSanitizer) in build-fuzz/, runs each for FUZZ_SECONDS over a copy of its
# regression corpus (tests/fuzz/corpus/<target>/, never written unless --update-corpus), all
# side by side; prints the executions and exits non-zero on a finding, its reproducer saved in
# build-fuzz/findings/.
#   scripts/fuzz.sh [--update-corpus] [--skip-build] [TARGET...]
#                          TARGET: parse, matrix_market, npy, cli (default all)
#   FUZZ_SECONDS=60        seconds per target
#   FUZZ_BUILD_DIR=build-fuzz
#   --update-corpus        copy the reproducers found into tests/fuzz/corpus/<target>/ (to keep
#                          them as regression cases once fixed)
#   --skip-build           run the fuzzers already built in FUZZ_BUILD_DIR (any Clang build with
#                          MOMENTUM_FUZZ=ON, e.g. the sanitizer build of scripts/test.sh)
# Replay one reproducer: build-fuzz/tests/fuzz/fuzz_<target> build-fuzz/findings/<file>
# Needs Debian's clang-14 and libclang-rt-14-dev (llvm-14 for symbolized stack traces).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

update_corpus=0
skip_build=0
targets=()
for a in "$@"; do
  case "$a" in
    --update-corpus) update_corpus=1 ;;
    --skip-build) skip_build=1 ;;
    parse|matrix_market|npy|cli) targets+=("$a") ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$a' (targets: parse matrix_market npy cli)" >&2; exit 2 ;;
  esac
done
((${#targets[@]})) || targets=(parse matrix_market npy cli)
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD_DIR:-build-fuzz}
[[ $build == /* ]] || build=$root/$build
jobs=$(nproc)

if ((skip_build)); then
  for t in "${targets[@]}"; do
    [[ -x "$build/tests/fuzz/fuzz_$t" ]] || { echo "fuzz.sh: --skip-build, but $build/tests/fuzz/fuzz_$t is not built" >&2; exit 2; }
  done
else
  cxx=${CXX:-clang++-14}
  command -v "$cxx" >/dev/null || { echo "fuzz.sh: $cxx not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }
  CC=${CC:-clang-14} CXX=$cxx cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMOMENTUM_FUZZ=ON -DMOMENTUM_BUILD_TESTS=OFF -DMOMENTUM_BUILD_BENCH=OFF \
    -DMOMENTUM_BUILD_PROOFS=OFF -DMOMENTUM_BUILD_TOOL=ON >/dev/null
  cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"
fi

# Longest input per target: numbers are short; a Matrix Market file needs a few lines, a .npy
# file its 128-byte header and some values; a command line a few dozen arguments.
declare -A max_len=([parse]=512 [matrix_market]=4096 [npy]=4096 [cli]=1024)
findings="$build/findings"
mkdir -p "$findings"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
summary=()
# The targets run side by side (each for FUZZ_SECONDS of wall clock), one process each.
declare -A pid
start=$SECONDS
for t in "${targets[@]}"; do
  work="$build/corpus/$t"  # a working copy: grows across runs, never tests/
  mkdir -p "$work"
  cp -n tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
  log="$build/fuzz_$t.log"
  echo "== fuzz_$t: ${seconds} s (log: $log)"
  "$build/tests/fuzz/fuzz_$t" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${max_len[$t]}" -dict="tests/fuzz/$t.dict" -artifact_prefix="$findings/$t-" \
    -print_final_stats=1 >"$log" 2>&1 &
  pid[$t]=$!
done
for t in "${targets[@]}"; do
  log="$build/fuzz_$t.log"
  status=0
  wait "${pid[$t]}" || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  summary+=("fuzz_$t: ${runs:-?} executions in $((SECONDS - start)) s (${rate:-?}/s)")
  if ((status != 0)); then
    failed+=("$t")
    echo "fuzz_$t: FINDING (exit status $status):" >&2
    grep -E -A3 'fuzz finding|ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -40 >&2 || true
    if ((update_corpus)); then
      sed -n "s|.*Test unit written to \(.*\)|\1|p" "$log" | while read -r f; do
        cp "$f" "tests/fuzz/corpus/$t/$(basename "$f")"
        echo "fuzz_$t: reproducer kept as tests/fuzz/corpus/$t/$(basename "$f")"
      done
    fi
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz.sh: findings in ${failed[*]}; reproducers in $findings/" >&2
  exit 1
fi
echo "fuzz.sh: no finding"
