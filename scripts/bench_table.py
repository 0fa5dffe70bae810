#!/usr/bin/python3
"""Markdown table of a scripts/bench.sh run: medians of the Google Benchmark JSON files and of
the Python baselines' CSV lines, and the ratios baseline time / momentum time, per area:
(a) dense worst-case rate, (b) 2-D Laplacian, (c) simulation, (d) landscape, (e) rate estimation.

Usage: python3 scripts/bench_table.py --raw DIR [--out FILE]
DIR holds <bench>.json (--benchmark_out of each bench_* program), py.csv (BENCH_OUT of
../shared/baselines/baseline.py: lang,method,n,spectrum,rep,seconds,err,extra), laplacian.csv
(stdout of laplacian.py: method,N,n,seconds,...), py_eig.err (the BLAS line) and meta.txt.
Medians: the `_median` aggregate when the run had repetitions, else the single run.
"""
import argparse
import csv
import glob
import json
import math
import os
import re
import statistics

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def base_name(name):
    """Run name without the suffixes Google Benchmark adds for fixed iteration counts etc."""
    return re.sub(r"/(iterations|repeats|min_time):[^/]*", "", name)


def load_benchmarks(raw):
    """{file stem: {run name: row}} with the median (or single) row of each benchmark."""
    out = {}
    for path in sorted(glob.glob(os.path.join(raw, "*.json"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        rows = {}
        for b in data.get("benchmarks", []):
            name = base_name(b.get("run_name", b["name"]))
            if b.get("error_occurred"):
                rows.setdefault(name, dict(b, error=b.get("error_message", "error")))
                continue
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") != "median":
                    continue
                rows[name] = b  # the median wins over a single run
            elif name not in rows:
                rows[name] = b
        for r in rows.values():
            if "real_time" in r:
                r["seconds"] = r["real_time"] * UNIT[r.get("time_unit", "ns")]
        out[stem] = rows
    return out


def load_python(raw):
    """{(method, n): [seconds, ...]} and {(method, n): spectrum field} from py.csv."""
    times, spec = {}, {}
    path = os.path.join(raw, "py.csv")
    if os.path.exists(path):
        with open(path) as f:
            for row in csv.reader(f):
                if len(row) < 6 or row[0].startswith("#"):
                    continue
                try:
                    # The same baseline on OpenBLAS (bench.sh --openblas) is kept apart.
                    method = row[1] + ("@openblas" if row[0] == "py_openblas" else "")
                    key = (method, int(row[2]))
                    times.setdefault(key, []).append(float(row[5]))
                    spec[key] = row[3]
                except ValueError:
                    continue
    return times, spec


def load_laplacian(raw):
    """{N: [seconds, ...]} from laplacian.py's output."""
    out = {}
    path = os.path.join(raw, "laplacian.csv")
    if os.path.exists(path):
        with open(path) as f:
            for row in csv.reader(f):
                try:
                    out.setdefault(int(row[1]), []).append(float(row[3]))
                except (ValueError, IndexError):
                    continue
    return out


def load_meta(raw):
    meta = {}
    path = os.path.join(raw, "meta.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    meta[k] = v
    path = os.path.join(raw, "py_eig.err")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith("# BLAS/LAPACK mapped:"):
                    libs = re.findall(r"'([^']+)'", line)
                    meta["blas"] = ", ".join(os.path.basename(p) for p in libs) or line.split(":", 1)[1].strip()
                    break
    return meta


def fmt_time(s):
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            v = s / scale
            return f"{v:.3g} {unit}" if v < 1000 else f"{v:.0f} {unit}"
    return f"{s:g} s"


def fmt_ratio(baseline, ours):
    if baseline is None or ours is None or ours <= 0:
        return "-"
    r = baseline / ours
    return f"{r:.3g}x" if r < 1000 else f"{r:.0f}x"


def median(xs):
    return statistics.median(xs) if xs else None


def seconds(rows, name):
    r = rows.get(name)
    return None if r is None or "error" in r else r.get("seconds")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def section_dense(bench, py):
    ext = bench.get("bench_extremes", {})
    sizes = sorted({int(m.group(1)) for n in ext for m in [re.match(r"BM_Rate\w+/(\d+)$", n)] if m} |
                   {n for (meth, n) in py if meth in ("naive", "structured", "eigsh_la_si")})
    out = ["### (a) Worst-case rate of a dense Q (`bench_extremes` vs `baseline.py eig`)", "",
           "Heavy ball alpha = 1e-4, beta = 0.9 on Q = O diag(l) O^T, l log-spaced in [1, 1e4]. "
           "Ratios are baseline time / momentum certified time.", ""]
    if not sizes:
        return out + ["pending: no run of bench_extremes or of the eig baseline.", ""]
    openblas = any(meth.endswith("@openblas") for (meth, _) in py)
    rows = []
    for n in sizes:
        cert = seconds(ext, f"BM_RateExtremes/{n}")
        unc = seconds(ext, f"BM_RateExtremesUncertified/{n}")
        dense = seconds(ext, f"BM_RateDenseSymmetric/{n}")
        naive_cpp = seconds(ext, f"BM_RateNaive/{n}")
        naive = median(py.get(("naive", n), []))
        struct = median(py.get(("structured", n), []))
        eigsh = median(py.get(("eigsh_la_si", n), []))
        row = [n, fmt_time(cert), fmt_time(unc), fmt_time(dense), fmt_time(naive_cpp),
               fmt_time(naive), fmt_time(struct), fmt_time(eigsh),
               fmt_ratio(naive, cert), fmt_ratio(struct, cert), fmt_ratio(eigsh, cert)]
        if openblas:
            ob_naive = median(py.get(("naive@openblas", n), []))
            ob_struct = median(py.get(("structured@openblas", n), []))
            row += [fmt_time(ob_naive), fmt_time(ob_struct), fmt_ratio(ob_naive, cert),
                    fmt_ratio(ob_struct, cert), fmt_ratio(ob_struct, unc)]
        rows.append(row)
    head = ["n", "momentum certified", "uncertified", "Eigen eigenvalues(Q) + closed form",
            "Eigen EigenSolver 2n x 2n", "numpy eigvals 2n x 2n", "numpy eigvalsh + closed form",
            "scipy eigsh LA + SI", "eigvals / certified", "eigvalsh / certified",
            "eigsh / certified"]
    if openblas:
        head += ["OpenBLAS eigvals 2n x 2n", "OpenBLAS eigvalsh + closed form",
                 "OpenBLAS eigvals / certified", "OpenBLAS eigvalsh / certified",
                 "OpenBLAS eigvalsh / uncertified"]
    out.append(table(head, rows))
    if openblas:
        out += ["", "numpy columns without a prefix: the reference BLAS; `OpenBLAS`: the same "
                "numpy with Debian's libopenblas0-pthread (2 threads) through LD_LIBRARY_PATH."]
    return out + [""]


def section_large_laplacian(raw):
    """The end-to-end `momentum rate` on the 2-D Laplacian at N = 1000 (bench.sh --full): heavy
    ball at alpha = 0.1, beta = 0.5 (lambda_max cannot decide the rate) and tuned (both ends do)."""
    rows = []
    for name, what in (("decides", "alpha = 0.1, beta = 0.5: only lambda_min decides"),
                       ("tuned", "tuned to the exact extremes: both decide")):
        path = os.path.join(raw, f"laplacian1000_{name}.txt")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            fields = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        rows.append([what, fields.get("seconds", "?") + " s", fields.get("peak_mib", "?") + " MiB",
                     fields.get("err_min", "?"), fields.get("err_max", "?"),
                     fields.get("certified", "?"), fields.get("interval", "?")])
    if not rows:
        return []
    out = ["### (b2) 2-D Laplacian N = 1000 (n = 10^6), the whole worst-case rate end to end", "",
           "`momentum rate --method heavy-ball --alpha A --beta B --matrix lap1000.mtx` (reading the "
           "49 MB Matrix Market file, certified extremes, the rate interval; lambda_max is computed "
           "only when it can decide the rate); `/usr/bin/time`: wall clock and peak resident "
           "memory. Extremes compared with the closed form 8 sin^2(j pi / (2 (N + 1))).", ""]
    out.append(table(["heavy ball", "wall", "peak memory", "lambda_min rel. error",
                      "lambda_max rel. error", "certified", "rate interval"], rows))
    return out + [""]


def section_laplacian(bench, lap):
    ext = bench.get("bench_extremes", {})
    Ns = sorted({int(m.group(1)) for n in ext for m in [re.match(r"BM_Laplacian\w+/(\d+)$", n)] if m} |
                set(lap))
    out = ["### (b) 2-D Laplacian extremes (`bench_extremes` vs `laplacian.py`)", ""]
    if not Ns:
        return out + ["pending: no run of the Laplacian benchmarks.", ""]
    rows = []
    for N in Ns:
        cert = seconds(ext, f"BM_LaplacianExtremes/{N}")
        unc = seconds(ext, f"BM_LaplacianExtremesUncertified/{N}")
        sc = median(lap.get(N, []))
        rows.append([N, N * N, fmt_time(cert), fmt_time(unc),
                     fmt_time(sc) if sc is not None else "not run",
                     fmt_ratio(sc, cert), fmt_ratio(sc, unc)])
    out.append(table(["N", "n", "momentum certified", "uncertified", "scipy eigsh LA + SI",
                      "scipy / certified", "scipy / uncertified"], rows))
    return out + [""]


def section_simulation(bench, py, spec):
    sim = bench.get("bench_simulate", {})
    out = ["### (c) Simulation, per heavy-ball coordinate-step (`bench_simulate` vs `baseline.py traj`)",
           ""]

    def ours(name):
        r = sim.get(name)
        return None if r is None or "error" in r else r.get("per_coord_step")

    def theirs(method):
        best = None
        for (m, n), ts in py.items():
            if m != method:
                continue
            T = re.match(r"T=(\d+)", spec.get((m, n), ""))
            if not T:
                continue
            v = median(ts) / (n * int(T.group(1)))
            label = f"{n} coords x {T.group(1)} steps"
            best = (v, label)
        return best

    pairs = [("double", "BM_heavy_ball_coordinate_step<double>", "Python float loop", "traj_float"),
             ("double", "BM_heavy_ball_coordinate_step<double>", "numpy, vectorized over coords",
              "traj_numpy"),
             ("mpfr_float_50", "BM_heavy_ball_coordinate_step<momentum::mpfr50>", "mpmath, 50 digits",
              "traj_mpmath"),
             ("cpp_bin_float_50", "BM_heavy_ball_coordinate_step<momentum::float50>",
              "mpmath, 50 digits", "traj_mpmath"),
             ("mpfr_float_50", "BM_heavy_ball_coordinate_step<momentum::mpfr50>",
              "raw MPFR C loop (C++, the floor)", None)]
    rows = []
    raw_mpfr = ours("BM_raw_mpfr_coordinate_step")
    for scalar, name, label, method in pairs:
        o = ours(name)
        if method is None:
            b, cfg = raw_mpfr, "100 coords x 2000 steps"
        else:
            t = theirs(method)
            b, cfg = (t if t else (None, "not run"))
        rows.append([scalar, fmt_time(o), label, cfg, fmt_time(b), fmt_ratio(b, o)])
    if not sim and not py:
        return out + ["pending: no run of bench_simulate or of the traj baseline.", ""]
    out.append(table(["momentum scalar", "momentum", "baseline", "baseline run", "baseline time",
                      "baseline / momentum"], rows))
    powers = [(n, r) for n, r in sim.items() if n.startswith("BM_closed_form_power")]
    if powers:
        out += ["", "Closed-form M^t (one heavy-ball block, O(1) in t): " + "; ".join(
            f"{n.split('<', 1)[1].split('>')[0].replace('momentum::', '')} t = {n.rsplit('/', 1)[1]}: "
            f"{fmt_time(r.get('seconds'))}" for n, r in powers if "error" not in r) + "."]
    return out + [""]


def section_landscape(bench, py):
    out = ["### (d) Landscape, 512 x 512 (alpha, beta) grid (`bench_landscape` vs `baseline.py landscape`)",
           "", "Worst-case heavy-ball rate over [1, 1e4] at every grid point. Ratios per grid point "
           "(a row on a smaller grid, like the multiprecision ones, is scaled by its point count).", ""]
    ours = [(stem, n, r) for stem, rows in sorted(bench.items()) for n, r in rows.items()
            if "landscape" in n.lower() or "landscape" in stem.lower()]
    variants = {m: median(ts) for (m, n), ts in py.items() if m.startswith("land_")}
    best = min(variants.items(), key=lambda kv: kv[1]) if variants else None
    if not ours:
        out.append("pending: no benchmark named `*landscape*` was built and run "
                   "(bench/bench_landscape.cpp not there yet).")
        if variants:
            out.append("Baseline, numpy: " + "; ".join(f"{m} {fmt_time(v)}" for m, v in sorted(variants.items())) + ".")
        return out + [""]
    rows = []
    for stem, n, r in ours:
        m = re.search(r"/(\d+)$", n)
        side = int(m.group(1)) if m else 512  # BM_LandscapeGeneric<T>/n: n x n; the others 512 x 512
        s = None if "error" in r else r.get("seconds")
        per_point = None if s is None else s / side ** 2
        numpy_pp = best[1] / 512 ** 2 if best else None
        rows.append([f"`{n}`", f"{side} x {side}",
                     fmt_time(s) if "error" not in r else "error: " + r["error"],
                     fmt_time(per_point), f"{best[0]} {fmt_time(best[1])}" if best else "not run",
                     fmt_ratio(numpy_pp, per_point)])
    out.append(table(["momentum benchmark", "grid", "median", "per point", "best numpy variant (512 x 512)",
                      "numpy / momentum, per point"], rows))
    if variants:
        out += ["", "All numpy variants: " + "; ".join(f"{m} {fmt_time(v)}" for m, v in sorted(variants.items())) + "."]
    return out + [""]


ESTIMATORS = [
    ("ClosedForm", "closed form, `spectral_radius`"),
    ("Spectrum2x2", "closed form of any 2x2, `spectrum_2x2`"),
    ("NaiveFormula", "naive formula (common.py `rho2`)"),
    ("EigenSolver", "EigenSolver, `general_spectral_radius`"),
    ("PowerIteration", "power iteration, t steps"),
    ("Gelfand", "Gelfand ‖M^t‖^(1/t), closed-form power"),
    ("GelfandBinary", "Gelfand, binary powering"),
    ("Root", "(‖s_t‖/‖s_0‖)^(1/t), trajectory"),
    ("Slope", "log-slope over [t/2, t], trajectory"),
]
CASES = [("complex", "lambda = 10: complex pair, rho = 9/11"),
         ("real", "lambda = 1/2: real distinct roots, rho = 0.9430..."),
         ("critical", "lambda = mu = 1: double root 9/11, Jordan block"),
         ("critical_L", "lambda = L = 100: double root -9/11, Jordan block (rounds to the real side in double)")]


def section_rates(bench):
    rows_in = bench.get("bench_rate_estimation", {})
    out = ["### (e) Rate estimation: relative error vs cost (`bench_rate_estimation`)", "",
           "Heavy ball tuned for mu = 1, L = 100 (alpha = 4/121, beta = 81/121). Each cell: relative "
           "error of the estimate against the exact rate (200-digit reference) / median time; "
           "'underflow': the error state or ‖M^t‖ fell below the type's smallest number.", ""]
    if not rows_in:
        return out + ["pending: no run of bench_rate_estimation.", ""]
    parsed = {}
    ts, scalars = set(), []
    for n, r in rows_in.items():
        m = re.match(r"^BM_Rate([A-Za-z0-9]+)<([A-Za-z0-9_]+)>/([A-Za-z_]+)(?:/(\d+))?$", n)
        if not m:
            continue
        est, scalar, case, t = m.group(1), m.group(2), m.group(3), m.group(4)
        t = int(t) if t else None
        if t is not None:
            ts.add(t)
        if scalar not in scalars:
            scalars.append(scalar)
        parsed[(est, scalar, case, t)] = r
    cols = [None] + sorted(ts)

    def cell(r):
        if r is None:
            return ""
        if "error" in r:
            return "error"
        if r.get("underflow"):
            return f"underflow / {fmt_time(r.get('seconds'))}"
        e = r.get("rel_err")
        es = "-" if e is None else ("0" if e == 0 else f"{e:.1e}")
        return f"{es} / {fmt_time(r.get('seconds'))}"

    def tlabel(t):
        if t is None:
            return "O(1)"
        k = int(round(math.log10(t)))
        return f"t = {t}" if t < 1000 or 10 ** k != t else f"t = 1e{k}"

    for case, desc in CASES:
        if not any(k[2] == case for k in parsed):
            continue
        out += [f"**{case}**: {desc}", ""]
        body = []
        for scalar in scalars:
            for est, label in ESTIMATORS:
                cells = [cell(parsed.get((est, scalar, case, t))) for t in cols]
                if any(cells):
                    body.append([f"{label} ({scalar})"] + cells)
        out += [table(["estimator"] + [tlabel(t) for t in cols], body), ""]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out")
    a = ap.parse_args()
    bench = load_benchmarks(a.raw)
    py, spec = load_python(a.raw)
    lap = load_laplacian(a.raw)
    meta = load_meta(a.raw)
    lines = [f"## Benchmark table ({meta.get('mode', '?')} run)", "",
             f"{meta.get('date', '?')}, commit {meta.get('commit', '?')}; {meta.get('cpu', '?')}; "
             f"load average (1, 5, 15 min) {meta.get('load_before', '?')} before, "
             f"{meta.get('load_after', '?')} after; "
             + ("Python baselines not run (no ../shared/baselines)" if meta.get("baselines") == "0"
                else f"Python baselines on {meta.get('blas', 'the default BLAS')}")
             + ". Medians of wall-clock times.", ""]
    if meta.get("mode") == "quick":
        lines += ["Quick pass: small sizes and short runs, a smoke test, not a measurement.", ""]
    lines += section_dense(bench, py)
    lines += section_laplacian(bench, lap)
    lines += section_large_laplacian(a.raw)
    lines += section_simulation(bench, py, spec)
    lines += section_landscape(bench, py)
    lines += section_rates(bench)
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
