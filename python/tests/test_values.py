"""momentum.values: the decimal strings as floats, numpy arrays or mpmath numbers."""
import numpy as np
import pytest

import momentum


def test_double_results_become_floats_and_arrays():
    d = momentum.simulate(method="gd", eta=0.4, eigenvalues=[0.2, 4], x0=[-5, -2], steps=20,
                          at=[5, 20])
    v = momentum.values(d)
    cp = v["checkpoints"]
    np.testing.assert_array_equal(cp["t"], [5, 20])
    assert cp["x"].shape == (2, 2)
    assert cp["error_norm"][1] == float(d["checkpoints"][1]["error_norm"])
    assert v["problem"]["lambda_max"] == 4.0 and v["problem"]["description"] == "Q = diag(0.2, 4)"
    assert isinstance(d["checkpoints"], list)  # the result itself is unchanged


def test_multiprecision_results_become_mpf():
    mpmath = pytest.importorskip("mpmath")
    d = momentum.rate(method="heavy-ball", alpha="4/121", beta="81/121", mu=1, L=100, digits=50)
    v = momentum.values(d)
    rho = v["spectral_radius"]
    assert isinstance(rho, mpmath.mpf)
    # rho = 9/11 exactly: the 50 digits printed survive (a float would keep 16).
    with mpmath.workdps(60):
        assert abs(rho - mpmath.mpf(9) / 11) < mpmath.mpf(10) ** -49
