#!/usr/bin/env bash
# The distributed path's measurements (issue 8): the worst-case heavy-ball rate of the 2-D
# Laplacian (n = N^2) by `mpirun -np K momentum-mpi rate`, for each N and K, beside the
# single-machine path (`momentum rate --path extremes`) and scipy (../shared/baselines/
# laplacian.py). Wall time of the whole job (mpirun included, file reading included) and peak
# memory summed over the ranks, both from /usr/bin/time; extremes' error against the closed
# form; which solver each end used; certified or not. Prints a markdown table.
#
#   bash scripts/bench_distributed.sh                          # N = 300 and 1000, 1 and 2 ranks
#   bash scripts/bench_distributed.sh --sizes 300 --ranks 2    # one row
#
# Options:
#   --build-dir DIR   where momentum-mpi and momentum are built (default: build in the repository;
#                     configured and built here when missing, with MOMENTUM_BUILD_MPI=ON)
#   --sizes "N ..."   grid sizes (default "300 1000")
#   --ranks "K ..."   MPI ranks (default "1 2")
#   --refine MODE     needed (default: only the ends that decide the rate) or both
#   --no-baselines    skip the single-machine path and scipy
#   --scipy-max N     run scipy only up to this N (default 300: at N = 1000 its shift-invert
#                     eigsh did not finish in 20 min, ../shared/baselines/README.md)
#   --out FILE        also write the table to FILE
# Needs: libslepc-real-dev openmpi-bin (scripts/install-deps.sh), /usr/bin/time, python3-mpmath;
# scipy for the baseline. As root, mpirun gets --allow-run-as-root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
baselines="$root/../shared/baselines"
build="$root/build" sizes="300 1000" ranks="1 2" refine=needed baselines_on=1 out="" scipy_max=300
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --build-dir) build=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --ranks) ranks=$2; shift ;;
    --refine) refine=$2; shift ;;
    --no-baselines) baselines_on=0 ;;
    --scipy-max) scipy_max=$2; shift ;;
    --out) out=$(realpath -m "$2"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_distributed.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
build=$(realpath -m "$build")
if [[ ! -x "$build/momentum-mpi" || ! -x "$build/momentum" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMOMENTUM_BUILD_MPI=ON \
        -DMOMENTUM_BUILD_TESTS=OFF -DMOMENTUM_BUILD_BENCH=OFF -DMOMENTUM_BUILD_PROOFS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target momentum_mpi momentum_cli
fi
mpirun_flags=(--oversubscribe)
[[ $(id -u) == 0 ]] && mpirun_flags+=(--allow-run-as-root)
export OMP_NUM_THREADS=1

work=$(mktemp -d /tmp/momentum-bench-mpi.XXXXXX)
trap 'rm -rf "$work"' EXIT
rows="$work/rows.jsonl"
: >"$rows"
method=(--method heavy-ball --alpha 0.1 --beta 0.5)
echo "bench_distributed.sh: load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

for N in $sizes; do
  Q="$work/lap$N.mtx"
  /usr/bin/python3 - "$Q" "$N" <<'PY'
import sys
path, N = sys.argv[1], int(sys.argv[2]); n = N * N
with open(path, "w") as out:
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
  for K in $ranks; do
    echo "bench_distributed.sh: N = $N, $K rank(s)" >&2
    rm -f "$work"/rank.*
    if /usr/bin/time -f "%e %M" -o "$work/wall.txt" \
         mpirun -np "$K" "${mpirun_flags[@]}" \
         sh -c 'exec /usr/bin/time -f "%e %M" -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' "$work/rank" \
         "$build/momentum-mpi" rate "${method[@]}" --matrix "$Q" --refine "$refine" --json --quiet \
         >"$work/out.json"; then
      /usr/bin/python3 - "$work" "$N" "$K" "momentum-mpi" >>"$rows" <<'PY'
import glob, json, sys
from mpmath import mp, mpf, sin, pi
mp.dps = 30
work, N, K, what = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
wall = float(open(f"{work}/wall.txt").read().split()[-2])
kib = sum(int(open(f).read().split()[-1]) for f in glob.glob(f"{work}/rank.*"))
j = json.load(open(f"{work}/out.json"))
exact = {"lambda_min": 8 * sin(pi / (2 * (N + 1))) ** 2, "lambda_max": 8 * sin(N * pi / (2 * (N + 1))) ** 2}
row = {"what": what, "N": N, "ranks": K, "wall": wall, "peak_mib": kib / 1024,
       "certified": j["certified"], "interval": j["spectral_radius_interval"]}
for end, v in exact.items():
    e = j["eigenvalues"][end]
    row[end] = {"err": float(abs(mpf(e["estimate"]) - v) / v), "solver": e["solver"],
                "seconds": e["seconds"], "certified": e["certified"], "refined": e["refined"]}
print(json.dumps(row))
PY
    else
      echo "bench_distributed.sh: N = $N, $K ranks failed" >&2
    fi
  done
  if ((baselines_on)); then
    echo "bench_distributed.sh: N = $N, single machine" >&2
    if /usr/bin/time -f "%e %M" -o "$work/wall.txt" "$build/momentum" rate "${method[@]}" \
         --matrix "$Q" --path extremes --json --quiet >"$work/out.json"; then
      /usr/bin/python3 - "$work" "$N" 1 "momentum (one machine)" >>"$rows" <<'PY'
import json, sys
from mpmath import mp, mpf, sin, pi
mp.dps = 30
work, N = sys.argv[1], int(sys.argv[2])
wall, kib = open(f"{work}/wall.txt").read().split()[-2:]
j = json.load(open(f"{work}/out.json"))
exact = {"lambda_min": 8 * sin(pi / (2 * (N + 1))) ** 2, "lambda_max": 8 * sin(N * pi / (2 * (N + 1))) ** 2}
row = {"what": "momentum (one machine)", "N": N, "ranks": 1, "wall": float(wall), "peak_mib": int(kib) / 1024,
       "certified": j["certified"], "interval": j["spectral_radius_interval"]}
for end, v in exact.items():
    e = j["eigenvalues"][end]
    row[end] = {"err": float(abs(mpf(e["estimate"]) - v) / v), "solver": e["solver"],
                "seconds": None, "certified": e["certified"], "refined": True}
print(json.dumps(row))
PY
    fi
    if ((N <= scipy_max)) && [[ -f "$baselines/laplacian.py" ]] && /usr/bin/python3 -c "import scipy" 2>/dev/null; then
      echo "bench_distributed.sh: N = $N, scipy" >&2
      /usr/bin/time -f "%e %M" -o "$work/wall.txt" /usr/bin/python3 "$baselines/laplacian.py" \
        --N "$N" --reps 1 >"$work/scipy.csv" || true
      if [[ -s "$work/scipy.csv" ]]; then
        /usr/bin/python3 - "$work" "$N" >>"$rows" <<'PY'
import json, sys
work, N = sys.argv[1], int(sys.argv[2])
wall, kib = open(f"{work}/wall.txt").read().split()[-2:]
f = open(f"{work}/scipy.csv").read().strip().split(",")
lmin, lmax, lo, hi = map(float, f[4:8])
row = {"what": "scipy eigsh (LA + shift-invert)", "N": N, "ranks": 1, "wall": float(wall),
       "peak_mib": int(kib) / 1024, "certified": False, "interval": None,
       "lambda_min": {"err": abs(lmin - lo) / lo, "solver": "shift-invert (SuperLU)", "refined": True},
       "lambda_max": {"err": abs(lmax - hi) / hi, "solver": "lanczos (ARPACK)", "refined": True}}
print(json.dumps(row))
PY
      fi
    fi
  fi
  rm -f "$Q"
done
echo "bench_distributed.sh: load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

/usr/bin/python3 - "$rows" "$refine" <<'PY' | tee ${out:+"$out"}
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"Heavy ball alpha = 0.1, beta = 0.5 on the 2-D Laplacian; momentum-mpi with --refine {sys.argv[2]}.")
print()
print("| N | n | run | ranks | wall (s) | peak memory (MiB, all ranks) | lambda_min: solver, rel. error | lambda_max: solver, rel. error | rate certified |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
def end(e):
    s = f"{e['solver']}, {e['err']:.1e}"
    if e.get("seconds") is not None: s += f" ({e['seconds']} s)"
    if not e.get("refined", True): s += " (not refined: cannot move the rate)"
    return s
for r in rows:
    print(f"| {r['N']} | {r['N']**2:,} | {r['what']} | {r['ranks']} | {r['wall']:.1f} | {r['peak_mib']:.0f} | "
          f"{end(r['lambda_min'])} | {end(r['lambda_max'])} | {'yes' if r['certified'] else 'no'} |")
PY
