"""Q given only as a linear operator (an object with ``shape`` and ``matvec``, such as
``scipy.sparse.linalg.LinearOperator`` or ``momentum.torch.hessian_operator``): its extreme
eigenvalues from products alone (ARPACK's Lanczos through scipy's ``eigsh``), widened by
their residuals, become the interval problem [mu, L] that the tool analyses.

Each Ritz pair (theta, u) with residual r = ||Q u - theta u|| has an eigenvalue of Q in
[theta - r, theta + r]; that it is the extreme one is not proven (Lanczos could have missed an
eigenvalue beyond it), so the result says ``"certified": false``.
"""

import numpy as np


def is_operator(value):
    return (hasattr(value, "shape") and hasattr(value, "matvec")
            and not isinstance(value, np.ndarray))


def extremes(op, tol=0.0):
    """{"lambda_min": {...}, "lambda_max": {...}, "certified": False} of a symmetric operator."""
    import scipy.sparse.linalg as sla

    shape = tuple(op.shape)
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError(f"Q: the operator must be square, got shape {shape}")
    n = shape[0]
    linop = sla.LinearOperator(shape, matvec=lambda v: np.asarray(op.matvec(v), dtype=np.float64)
                               .reshape(-1), dtype=np.float64)
    ends = {}
    for key, which in (("lambda_min", "SA"), ("lambda_max", "LA")):
        if n <= 2:
            dense = np.column_stack([linop.matvec(e) for e in np.eye(n)])
            w, v = np.linalg.eigh((dense + dense.T) / 2)
            i = 0 if which == "SA" else -1
            theta, u = w[i], v[:, i]
        else:
            try:
                w, v = sla.eigsh(linop, k=1, which=which, tol=tol, ncv=min(n, 40),
                                 maxiter=max(1000, 10 * n))
            except sla.ArpackNoConvergence as e:
                raise RuntimeError(
                    f"Q: Lanczos found no {key} of the operator after {max(1000, 10 * n)} "
                    f"restarts (ill-conditioned?); pass Q's entries (an array or a sparse "
                    f"matrix) for the certified extremes path") from e
            theta, u = float(w[0]), v[:, 0]
        r = float(np.linalg.norm(linop.matvec(u) - theta * u) / np.linalg.norm(u))
        if not (np.isfinite(theta) and np.isfinite(r)):
            raise ValueError(f"Q: the operator's products are not finite ({key} = {theta})")
        ends[key] = {"estimate": repr(float(theta)), "residual": repr(r),
                     "enclosure": [repr(float(theta - r)), repr(float(theta + r))],
                     "certified": False}
    lo = float(ends["lambda_min"]["enclosure"][0])
    if not lo > 0:
        raise ValueError(f"Q: must be positive definite, but the smallest eigenvalue found is "
                         f"{ends['lambda_min']['estimate']} (residual "
                         f"{ends['lambda_min']['residual']})")
    return {"n": n, **ends, "certified": False,
            "note": "extremes from matrix-vector products alone (Lanczos): each enclosure "
                    "holds an eigenvalue, not proven to be the extreme one"}
