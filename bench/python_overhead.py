#!/usr/bin/env python3
"""Costs of the Python package (issue 19), measured on the installed package:

(a) a numpy Q of n = 2000 reaches the tool without a copy: the address of the buffer the C++
    side reads (momentum._momentum._lent_addresses()) against numpy's own, for C and Fortran
    order, and tracemalloc's peak of Python-side allocations during the call (numpy reports
    its buffers to tracemalloc, so a copy of Q would show as 32 MB);
(b) the per-call overhead of momentum.rate(method="heavy-ball", alpha=0.1, beta=0.5,
    eigenvalues=[1, 10]): the whole call, and its parts: building argv (Python), the tool's
    parse and run and the conversion of its JSON document to Python objects (timed inside the
    extension), the rest of the extension call (pybind11's argument and result conversion,
    stdout capture, SIGINT handler), the Python wrapper; beside the same command as a process.

    /usr/bin/python3 bench/python_overhead.py [--calls N] [--cli build/momentum]
"""
import argparse
import json
import os
import subprocess
import time
import timeit
import tracemalloc

import numpy as np

import momentum
from momentum import _momentum


def copy_check(n):
    import scipy.sparse  # noqa: F401  (the package imports it on the first Q=: not a copy of Q)
    momentum.rate(method="gd", eta=0.1, Q=np.eye(2))
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n))
    Q = a @ a.T + n * np.eye(n)
    for order, q in (("C", Q), ("Fortran", np.asfortranarray(Q))):
        tracemalloc.start()
        t = time.perf_counter()
        r = momentum.rate(method="heavy-ball", alpha=1e-4, beta=0.5, Q=q)
        seconds = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lent = list(_momentum._lent_addresses().values())
        own = q.__array_interface__["data"][0]
        print(f"(a) n = {n}, {order} order: the tool read address {lent[0]:#x}, numpy's is "
              f"{own:#x}: {'same buffer, no copy' if lent == [own] else 'COPIED'}; "
              f"Python-side peak {peak / 1e6:.3f} MB (Q is {q.nbytes / 1e6:.0f} MB); "
              f"call {seconds:.2f} s, rho = {r['spectral_radius']}")


def per_call(calls, cli):
    kwargs = dict(method="heavy-ball", alpha=0.1, beta=0.5, eigenvalues=[1, 10])
    momentum.rate(**kwargs)  # the Tool is built once, then reused
    # Wall time (best of 5) and CPU time of this process (steadier on a shared machine).
    def best(f, timer=time.perf_counter):
        return min(timeit.repeat(f, number=calls, repeat=5, timer=timer)) / calls * 1e6
    total = best(lambda: momentum.rate(**kwargs))
    total_cpu = best(lambda: momentum.rate(**kwargs), time.process_time)
    argv = momentum._argv("rate", kwargs, {}, {})
    build = best(lambda: momentum._argv("rate", kwargs, {}, {}), time.process_time)
    ext = best(lambda: _momentum.run(argv, {}, {}, True), time.process_time)
    result = _momentum.run(argv, {}, {}, True)
    assert result[1] == momentum.rate(**kwargs), "the extension's document is not rate()'s"
    timings = []
    for _ in range(calls):
        _momentum.run(argv, {}, {}, True)
        timings.append(_momentum._last_timings())
    med = [np.median([t[i] for t in timings]) / 1e3 for i in range(4)]
    low = [min(t[i] for t in timings) / 1e3 for i in range(4)]
    text = json.dumps(result[1], indent=2)
    loads = best(lambda: json.loads(text), time.process_time)
    print(f"(b) momentum.rate({', '.join(f'{k}={v!r}' for k, v in kwargs.items())}): "
          f"{total:.1f} us per call (wall, best of 5 x {calls}), {total_cpu:.1f} us of CPU")
    print(f"    CPU per call: argv building {build:.1f} us; the extension call {ext:.1f} us, of "
          f"which the tool's parse {med[0]:.1f} us, its run {med[1]:.1f} us, the document to "
          f"Python objects {med[2]:.1f} us (medians; minima {low[0]:.1f}, {low[1]:.1f}, "
          f"{low[2]:.1f}), the whole C++ function {med[3]:.1f} us (minimum {low[3]:.1f}), so "
          f"about {ext - med[3]:.1f} us in pybind11's conversions around it; the Python "
          f"wrapper's remainder about {total_cpu - ext - build:.1f} us")
    print(f"    (json.loads of the same document as text, {len(text)} bytes, which the package "
          f"no longer does: {loads:.1f} us)")
    if cli and os.access(cli, os.X_OK):
        args = [cli, *argv]
        t = min(timeit.repeat(lambda: subprocess.run(args, capture_output=True, check=True),
                              number=20, repeat=3)) / 20 * 1e6
        print(f"    the same command as a process ({cli}): {t:.0f} us per call")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--cli", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                  "momentum"))
    o = ap.parse_args()
    print(f"momentum from {os.path.dirname(momentum.__file__)}")
    copy_check(o.n)
    per_call(o.calls, o.cli)


if __name__ == "__main__":
    main()
