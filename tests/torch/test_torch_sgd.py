#!/usr/bin/env python3
"""`momentum simulate --method pytorch` against the real torch.optim.SGD (float64).

For every combination of momentum, dampening, weight decay and nesterov, on a dense symmetric
positive definite Q with c != 0, the tool's iterates x_1..x_T must agree with torch's to
rounding: within 1e-10 of the start's distance to the minimizer (double rounding, amplified by
the problem's conditioning over T steps, stays far below that; a wrong first step, buffer or
weight decay is off by 1e-2 or more). torch.optim.SGD refuses nesterov with a dampening or
without momentum in its constructor; its step() has no such check, so those combinations are
set on the parameter group after construction, as the tool analyses any finite values.

Usage: test_torch_sgd.py MOMENTUM_EXE
"""
import itertools
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

T = 40


def torch_trajectory(Q, c, x0, lr, momentum, dampening, weight_decay, nesterov):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    Qt = torch.tensor(Q, dtype=torch.float64)
    ct = torch.tensor(c, dtype=torch.float64)
    opt = torch.optim.SGD([x], lr=lr, momentum=momentum, weight_decay=weight_decay)
    opt.param_groups[0]["dampening"] = dampening
    opt.param_groups[0]["nesterov"] = nesterov
    xs = []
    for _ in range(T):
        opt.zero_grad()
        loss = 0.5 * x @ (Qt @ x) + ct @ x
        loss.backward()
        opt.step()
        xs.append(x.detach().numpy().copy())
    return np.array(xs)


def tool_trajectory(exe, qfile, cfile, x0, lr, momentum, dampening, weight_decay, nesterov):
    args = [exe, "simulate", "--method", "pytorch", "--lr", repr(lr), "--momentum", repr(momentum),
            "--dampening", repr(dampening), "--weight-decay", repr(weight_decay),
            "--matrix", qfile, "--linear", cfile, "--x0=" + ",".join(repr(v) for v in x0),
            "--steps", str(T), "--at", ",".join(str(t) for t in range(1, T + 1)), "--json",
            "--quiet"]
    if nesterov:
        args.append("--nesterov")
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("momentum failed (%d): %s\n%s" % (out.returncode, " ".join(args), out.stderr))
    j = json.loads(out.stdout)
    return np.array([[float(v) for v in cp["x"]] for cp in j["checkpoints"]]), j


def main():
    exe = sys.argv[1]
    rng = np.random.default_rng(17)
    n = 5
    A = rng.standard_normal((n, n))
    O, _ = np.linalg.qr(A)
    lambdas = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    Q = (O * lambdas) @ O.T
    Q = 0.5 * (Q + Q.T)
    c = rng.standard_normal(n)
    x0 = rng.standard_normal(n)
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as d:
        qfile, cfile = os.path.join(d, "Q.npy"), os.path.join(d, "c.npy")
        np.save(qfile, Q)
        np.save(cfile, c)
        for momentum, dampening, weight_decay, nesterov in itertools.product(
                [0.0, 0.5, 0.9], [0.0, 0.1], [0.0, 0.05], [False, True]):
            lr = 0.1
            ref = torch_trajectory(Q, c, x0, lr, momentum, dampening, weight_decay, nesterov)
            got, j = tool_trajectory(exe, qfile, cfile, x0, lr, momentum, dampening, weight_decay,
                                     nesterov)
            x_star = np.linalg.solve(Q + weight_decay * np.eye(n), -c)
            scale = np.linalg.norm(x0 - x_star)
            err = np.max(np.abs(got - ref)) / scale
            checked += 1
            ok = err <= 1e-10 and got.shape == ref.shape
            label = "momentum=%g dampening=%g weight_decay=%g nesterov=%s" % (
                momentum, dampening, weight_decay, nesterov)
            print("%-60s max |x_tool - x_torch| / |x0 - x*| = %.2e %s" % (label, err, "ok" if ok else "FAIL"))
            if not ok:
                failures += 1
            # The reported minimizer is that of f + (wd/2)|x|^2: x_T approaches it.
    print("%d of %d combinations agree with torch.optim.SGD (torch %s)" % (checked - failures, checked,
                                                                         torch.__version__))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
