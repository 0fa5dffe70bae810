#!/usr/bin/env bash
# The performance table in one command: installs what it needs, builds the benchmarks, runs the
# Python baselines (../shared/baselines: what a user would run instead) and the Google Benchmarks
# of bench/ one after the other in one session, and prints the medians and the ratios
# (baseline time / momentum time) per area as a markdown table (bench/README.md explains it).
#
#   bash scripts/bench.sh --quick   smoke pass: small sizes, short runs, no slow Python baseline
#                                   (under ~2 minutes after the build): proves every benchmark runs
#   bash scripts/bench.sh --full    the measured table (10-20 minutes on 2 cores)
#
# Options:
#   --out FILE         also write the markdown table to FILE
#   --build-dir DIR    build directory (default: build-bench in the repository)
#   --raw DIR          keep the raw outputs (Google Benchmark JSON, baseline CSV) in DIR
#                      (default: a temporary directory, removed at the end)
#   --jobs N           build parallelism (default: nproc)
#   --skip-build       use the benchmarks already built in the build directory
#   --no-baselines     run the benchmarks alone (no Python, no ratios): what CI's smoke pass does
#   --openblas         (--full) also time the dense numpy baselines on OpenBLAS (installs
#                      libopenblas0-pthread, selected per run with LD_LIBRARY_PATH; the reference
#                      BLAS runs are pinned the same way, whatever Debian's alternatives say)
#   --no-large         (--full) skip the end-to-end 2-D Laplacian at N = 1000 (n = 10^6, ~1 min)
# In --quick mode a benchmark that is not built, fails to build or fails to run is an error
# (exit status 1): the smoke pass is there to prove that every benchmark runs.
# A benchmark that is absent or fails to build (bench_landscape.cpp, say) is reported as pending,
# not as an error. The Python baselines run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset
# (../shared/baselines/README.md), on whichever BLAS Debian's alternatives select; the table says
# which, and the load average before and after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
baselines="$root/../shared/baselines"

mode="" out="" build="$root/build-bench" raw="" jobs=$(nproc) skip_build=0 no_baselines=0 openblas=0 large=1
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --out) out=$2; shift ;;
    --build-dir) build=$2; shift ;;
    --raw) raw=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --skip-build) skip_build=1 ;;
    --no-baselines) no_baselines=1 ;;
    --openblas) openblas=1 ;;
    --no-large) large=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$mode" ]]; then
  echo "bench.sh: choose --quick (smoke pass) or --full (the measured table); --help for more" >&2
  exit 2
fi
[[ -n "$out" ]] && out=$(realpath -m "$out")
build=$(realpath -m "$build")

# 1. Dependencies (Debian packages, the missing ones only).
packages=(g++ cmake make libeigen3-dev libboost-dev libmpfr-dev libgmp-dev libbenchmark-dev
          libspectra-dev python3)
((no_baselines)) || packages+=(python3-numpy python3-scipy python3-mpmath)
[[ $mode == full ]] && ((openblas)) && packages+=(libopenblas0-pthread)
[[ $mode == full ]] && ((large)) && packages+=(time python3-mpmath libcli11-dev nlohmann-json3-dev)
bash "$root/scripts/install-deps.sh" --only "${packages[@]}"
have_baselines=1
if ((no_baselines)); then
  have_baselines=0
elif [[ ! -f "$baselines/baseline.py" ]]; then
  # A checkout without ../shared (CI, say) still gets the benchmarks run; the ratios stay empty.
  echo "bench.sh: no Python baselines at $baselines; running the benchmarks alone" >&2
  have_baselines=0
fi

# 2. Build: every bench/bench_*.cpp, each on its own so that one that does not build (yet) leaves
# the others usable.
names=()
for f in "$root"/bench/bench_*.cpp; do
  [[ -e "$f" ]] && names+=("$(basename "$f" .cpp)")
done
declare -A broken=()
if ((skip_build == 0)); then
  tool=OFF
  [[ $mode == full ]] && ((large)) && tool=ON  # the N = 1000 Laplacian runs the tool end to end
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMOMENTUM_BUILD_BENCH=ON \
        -DMOMENTUM_BUILD_TESTS=OFF -DMOMENTUM_BUILD_PROOFS=OFF -DMOMENTUM_BUILD_TOOL=$tool >/dev/null
  for n in "${names[@]}"; do
    echo "bench.sh: building $n"
    if ! cmake --build "$build" -j "$jobs" --target "$n" >"$build/$n.build.log" 2>&1; then
      # Not run either: an older binary left in the build directory would measure stale code.
      echo "bench.sh: $n did not build (see $build/$n.build.log); its rows stay pending" >&2
      broken[$n]=1
    fi
  done
  if [[ $mode == full ]] && ((large)); then
    echo "bench.sh: building the momentum tool (for the N = 1000 Laplacian)"
    cmake --build "$build" -j "$jobs" --target momentum_cli >"$build/momentum_cli.build.log" 2>&1 ||
      echo "bench.sh: the tool did not build (see $build/momentum_cli.build.log)" >&2
  fi
fi

# 3. Runs.
cleanup_raw=0
if [[ -z "$raw" ]]; then
  raw=$(mktemp -d /tmp/momentum-bench.XXXXXX)
  cleanup_raw=1
fi
mkdir -p "$raw"
raw=$(realpath "$raw")
rm -f "$raw"/*.json "$raw"/py.csv "$raw"/laplacian.csv "$raw"/meta.txt "$raw"/*.err
if commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
  git -C "$root" diff --quiet HEAD -- 2>/dev/null || commit+=" (with uncommitted changes)"
else
  commit=unknown
fi
{
  echo "mode=$mode"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$commit"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "baselines=$have_baselines"
} >"$raw/meta.txt"

py() {  # one baseline run; a failure leaves its cells empty instead of stopping the table
  ((have_baselines)) || return 0
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE BENCH_OUT="$raw/py.csv" /usr/bin/python3 "$@" ||
    echo "bench.sh: baseline run failed: $*" >&2
}
# The dense baselines' BLAS, pinned: the reference BLAS (Debian's numpy default) unless asked.
libdir=/usr/lib/x86_64-linux-gnu
reference_blas=""
[[ -d $libdir/blas && -d $libdir/lapack ]] && reference_blas="$libdir/blas:$libdir/lapack"
py_reference() { LD_LIBRARY_PATH="$reference_blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" py "$@"; }
py_openblas() {
  LD_LIBRARY_PATH="$libdir/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" BENCH_LANG=py_openblas py "$@"
}
if [[ $mode == quick ]]; then
  reps=1
  ((have_baselines)) && echo "bench.sh: Python baselines (quick)"
  py_reference "$baselines/baseline.py" eig --methods naive,structured,eigsh_la_si --sizes 250 --reps 1 \
     --count 0 2>"$raw/py_eig.err" >/dev/null
  py "$baselines/baseline.py" traj --ncoords 20 --T 500 --kinds float,numpy,mpmath --reps 1 >/dev/null
  py "$baselines/baseline.py" landscape --reps 1 >/dev/null
  # Skipped: laplacian.py (about 20 s a run) and the large dense sizes.
  extremes_filter='^BM_(Rate[A-Za-z]*/250|Laplacian[A-Za-z]*/300)(/|$)'
  rate_filter='^BM_Rate[A-Za-z0-9]*<[a-z_0-9]*>/[a-z_A-Z]*(/10|/100|/1000)?$'
  declare -A min_time=([default]=0.01)
else
  reps=3
  ((have_baselines)) &&
    echo "bench.sh: Python baselines (full; the 2n x 2n numpy eigvals at n = 2000 alone takes minutes)"
  py_reference "$baselines/baseline.py" eig --methods structured,eigsh_la_si --sizes 250,500,1000,2000 \
     --reps 5 --count 0 2>"$raw/py_eig.err"
  py_reference "$baselines/baseline.py" eig --methods naive --sizes 250,500,1000 --reps 3 --count 0 \
     2>>"$raw/py_eig.err"
  py_reference "$baselines/baseline.py" eig --methods naive --sizes 2000 --reps 1 --count 0 2>>"$raw/py_eig.err"
  if ((openblas)); then
    echo "bench.sh: the dense baselines again on OpenBLAS"
    py_openblas "$baselines/baseline.py" eig --methods naive,structured --sizes 250,500,1000,2000 \
       --reps 3 --count 0 2>"$raw/py_eig_openblas.err"
  fi
  py "$baselines/baseline.py" traj --ncoords 1000 --T 10000 --kinds float,numpy --reps 3
  py "$baselines/baseline.py" traj --ncoords 100 --T 2000 --kinds mpmath --reps 3
  py "$baselines/baseline.py" landscape --reps 11
  py "$baselines/laplacian.py" --N 300 --reps 3 | tee "$raw/laplacian.csv"
  [[ -s "$raw/laplacian.csv" ]] || rm -f "$raw/laplacian.csv"
  extremes_filter='.'
  rate_filter='.'
  declare -A min_time=([default]=0.5 [bench_rate_estimation]=0.05)
fi

failures=0
for n in "${names[@]}"; do
  bin="$build/bench/$n"
  if [[ -n "${broken[$n]:-}" || ! -x "$bin" ]]; then
    echo "bench.sh: $n is not built; skipped" >&2
    failures=$((failures + 1))
    continue
  fi
  filter='.'
  [[ $n == bench_extremes ]] && filter=$extremes_filter
  [[ $n == bench_rate_estimation ]] && filter=$rate_filter
  echo "bench.sh: running $n"
  "$bin" --benchmark_filter="$filter" --benchmark_repetitions=$reps \
         --benchmark_report_aggregates_only=true \
         --benchmark_min_time="${min_time[$n]:-${min_time[default]}}" \
         --benchmark_out="$raw/$n.json" --benchmark_out_format=json || {
    echo "bench.sh: $n failed; its rows stay pending" >&2
    failures=$((failures + 1))
  }
done
if [[ $mode == full ]] && ((large)) && [[ -x "$build/momentum" ]]; then
  echo "bench.sh: 2-D Laplacian N = 1000 end to end (momentum rate on a 49 MB Matrix Market file)"
  lap=$(mktemp -d /tmp/momentum-lap.XXXXXX)
  /usr/bin/python3 - "$lap/lap1000.mtx" <<'PY'
import sys
N = 1000; n = N * N
with open(sys.argv[1], "w") as out:
    out.write("%%MatrixMarket matrix coordinate real symmetric\n")
    out.write(f"{n} {n} {n + 2 * N * (N - 1)}\n")
    for j in range(N):
        rows = []
        for i in range(N):
            k = j * N + i + 1
            rows.append(f"{k} {k} 4\n")
            if i + 1 < N: rows.append(f"{k + 1} {k} -1\n")
            if j + 1 < N: rows.append(f"{k + N} {k} -1\n")
        out.write("".join(rows))
PY
  # Two cases: alpha = 0.1, beta = 0.5, where lambda_max (<= 8) sits in the complex region and
  # cannot decide the rate (only its bounds are computed), and the heavy ball tuned to the exact
  # extremes (printed by Python to 20 digits), where both ends are critical and both decide it.
  tuned=$(/usr/bin/python3 -c '
from mpmath import mp, sin, pi, sqrt
mp.dps = 30; N = 1000
mu, L = 8 * sin(pi / (2 * (N + 1))) ** 2, 8 * sin(N * pi / (2 * (N + 1))) ** 2
print(mp.nstr(4 / (sqrt(L) + sqrt(mu)) ** 2, 20), mp.nstr(((sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu))) ** 2, 20))')
  read -r tuned_alpha tuned_beta <<<"$tuned"
  for case in "decides:0.1:0.5" "tuned:$tuned_alpha:$tuned_beta"; do
    IFS=: read -r name alpha beta <<<"$case"
    if /usr/bin/time -f "%e %M" -o "$lap/time.txt" "$build/momentum" rate --method heavy-ball \
         --alpha "$alpha" --beta "$beta" --matrix "$lap/lap1000.mtx" --json --quiet >"$lap/rate.json"; then
      /usr/bin/python3 - "$lap" "$raw/laplacian1000_$name.txt" "$alpha" "$beta" <<'PY'
import json, sys
from mpmath import mp, mpf, sin, pi
mp.dps = 30
lap, out, alpha, beta = sys.argv[1:5]
seconds, kib = open(f"{lap}/time.txt").read().split()[-2:]
j = json.load(open(f"{lap}/rate.json"))
N = 1000
exact = {"lambda_min": 8 * sin(pi / (2 * (N + 1))) ** 2, "lambda_max": 8 * sin(N * pi / (2 * (N + 1))) ** 2}
err = {}
for k, v in exact.items():
    e = j["eigenvalues"][k]
    if "estimate" in e:
        err[k] = mp.nstr(abs(mpf(e["estimate"]) - v) / v, 2)
    else:  # not computed: it cannot decide the rate; its bounds must contain it
        lo, hi = e["enclosure"]
        err[k] = f"not needed, in [{lo}, {hi}]: {mpf(lo) <= v <= mpf(hi)}"
with open(out, "w") as f:
    f.write(f"alpha={alpha}\nbeta={beta}\n")
    f.write(f"seconds={seconds}\npeak_mib={int(kib) // 1024}\n")
    f.write(f"err_min={err['lambda_min']}\nerr_max={err['lambda_max']}\n")
    f.write(f"certified={j['certified']}\n")
    f.write(f"interval=[{j['spectral_radius_interval'][0]}, {j['spectral_radius_interval'][1]}]\n")
PY
    else
      echo "bench.sh: the N = 1000 run ($name) failed" >&2
    fi
  done
  rm -rf "$lap"
fi
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$raw/meta.txt"

# 4. The table.
table_args=(--raw "$raw")
[[ -n "$out" ]] && table_args+=(--out "$out")
python3 "$root/scripts/bench_table.py" "${table_args[@]}"
if ((cleanup_raw)); then rm -rf "$raw"; fi
if [[ $mode == quick ]] && ((failures)); then
  echo "bench.sh: $failures benchmark program(s) did not build or run" >&2
  exit 1
fi
