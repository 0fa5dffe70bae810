"""Problems in memory: numpy arrays in either order and dtype, scipy.sparse formats, and the
errors of bad matrices (the tool's own messages)."""
import numpy as np
import pytest
import scipy.sparse

import momentum

METHOD = dict(method="heavy-ball", alpha=0.05, beta=0.5)


def spd(n=5, seed=3):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def test_c_and_fortran_order_read_in_place():
    Q = spd()
    F = np.asfortranarray(Q)
    assert Q.flags.c_contiguous and F.flags.f_contiguous and not F.flags.c_contiguous
    a = momentum.rate(**METHOD, Q=Q)
    addresses = momentum._momentum._lent_addresses()
    assert addresses == {"<Q: numpy 5x5 array>": Q.__array_interface__["data"][0]}
    b = momentum.rate(**METHOD, Q=F)
    assert momentum._momentum._lent_addresses() == {"<Q: numpy 5x5 array>":
                                                     F.__array_interface__["data"][0]}
    assert a == b


def test_a_non_symmetric_matrix_in_c_order_is_not_read_transposed():
    Q = spd()
    Q[0, 1] += 1.0  # Q(1,2) != Q(2,1): both orders must name the same entry
    messages = []
    for q in (Q, np.asfortranarray(Q)):
        with pytest.raises(ValueError) as e:
            momentum.rate(**METHOD, Q=q)
        messages.append(str(e.value))
    assert messages[0] == messages[1]
    assert "symmetric" in messages[0]


def test_float32_and_strided_arrays_are_converted():
    Q = spd()
    as32 = Q.astype(np.float32)
    got = momentum.rate(**METHOD, Q=as32)
    assert got == momentum.rate(**METHOD, Q=as32.astype(np.float64))
    strided = np.zeros((10, 10))
    strided[::2, ::2] = Q
    assert momentum.rate(**METHOD, Q=strided[::2, ::2]) == momentum.rate(**METHOD, Q=Q)
    assert momentum.rate(**METHOD, Q=Q.tolist()) == momentum.rate(**METHOD, Q=Q)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "dok", "lil", "bsr", "dia"])
def test_every_scipy_sparse_format(fmt):
    Q = spd(8)
    Q[np.abs(Q) < 1] = 0
    expected = momentum.rate(**METHOD, Q=Q, path="dense")
    got = momentum.rate(**METHOD, Q=scipy.sparse.csr_matrix(Q).asformat(fmt), path="dense")
    expected["problem"].pop("description")
    got["problem"].pop("description")
    assert got == expected


def test_tool_message_for_the_same_matrix_in_a_file(cli, tmp_path):
    bad = {
        "non-symmetric": np.array([[2.0, 1.0], [0.0, 3.0]]),
        "indefinite": np.array([[1.0, 2.0], [2.0, 1.0]]),
        "not square": np.ones((2, 3)),
    }
    for label, Q in bad.items():
        np.save(tmp_path / "Q.npy", Q)
        status, expected = cli("rate", "--method", "gd", "--eta", "0.1", "--matrix",
                               tmp_path / "Q.npy")
        assert status == 2, label
        with pytest.raises(ValueError) as e:
            momentum.rate(method="gd", eta=0.1, Q=Q)
        name = f"<Q: numpy {Q.shape[0]}x{Q.shape[1]} array>"
        assert str(e.value) == expected["error"].replace(str(tmp_path / "Q.npy"), name), label
        assert e.value.argument == "--matrix"


def test_nan_and_infinity():
    Q = spd()
    Q[1, 2] = Q[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"entry \(2,3\) is nan: every value must be finite"):
        momentum.rate(**METHOD, Q=Q)
    Q[1, 2] = Q[2, 1] = np.inf
    with pytest.raises(ValueError, match="is infinite"):
        momentum.rate(**METHOD, Q=scipy.sparse.csr_matrix(Q))


def test_wrong_shapes_and_types():
    with pytest.raises(ValueError, match=r"Q: expected a 2-D array, got shape \(3,\)"):
        momentum.rate(**METHOD, Q=np.ones(3))
    with pytest.raises(ValueError, match=r"the array of shape \(0, 0\) is empty"):
        momentum.rate(**METHOD, Q=np.zeros((0, 0)))
    with pytest.raises(ValueError, match="c must have 5 entries"):
        momentum.rate(**METHOD, Q=spd(), c=np.ones(4))
    with pytest.raises(TypeError, match="expected real numbers"):
        momentum.rate(**METHOD, Q=np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(TypeError, match="expected a numpy array"):
        momentum.rate(**METHOD, Q=object())
    with pytest.raises(ValueError, match="eigenvalues: expected a 1-D array"):
        momentum.rate(**METHOD, eigenvalues=np.ones((2, 2)))
    with pytest.raises(TypeError, match="alpha: expected one value"):
        momentum.rate(method="heavy-ball", alpha=[0.1, 0.2], beta=0.5, eigenvalues=[1, 2])


def test_a_linear_term_in_memory_equals_the_file(tmp_path):
    Q, c = spd(), np.linspace(-1, 1, 5)
    np.save(tmp_path / "c.npy", c)
    a = momentum.simulate(**METHOD, Q=Q, c=c, x0=np.zeros(5), steps=5)
    b = momentum.simulate(**METHOD, Q=Q, linear=str(tmp_path / "c.npy"), x0=np.zeros(5), steps=5)
    assert a == b


def test_bad_options_name_the_argument():
    with pytest.raises(ValueError) as e:
        momentum.rate(method="heavy-ball", alpha=0.1, beta="1/0", eigenvalues=[1, 10])
    assert "--beta" in str(e.value) and e.value.argument == "--beta"
    with pytest.raises(ValueError) as e:
        momentum.rate(method="heavy-ball", alfa=0.1, beta=0.5, eigenvalues=[1, 10])
    assert e.value.argument == "--alfa" and "unknown option" in str(e.value)
    with pytest.raises(ValueError, match="--method"):
        momentum.rate(method="adam", eta=0.1, eigenvalues=[1])


def laplacian_2d(N):
    """The 2-D Dirichlet Laplacian on an N x N grid as a matvec alone."""
    import scipy.sparse.linalg as sla

    def matvec(v):
        u = np.asarray(v, dtype=np.float64).reshape(N, N)
        w = 4 * u
        w[1:, :] -= u[:-1, :]
        w[:-1, :] -= u[1:, :]
        w[:, 1:] -= u[:, :-1]
        w[:, :-1] -= u[:, 1:]
        return w.reshape(-1)

    return sla.LinearOperator((N * N, N * N), matvec=matvec, dtype=np.float64)


def test_a_linear_operator_from_products_alone():
    N = 15
    exact_min = 4 - 4 * np.cos(np.pi / (N + 1))
    exact_max = 4 + 4 * np.cos(np.pi / (N + 1))
    r = momentum.rate(method="heavy-ball", alpha=0.1, beta=0.3, Q=laplacian_2d(N))
    ex = r["extremes"]
    assert ex["certified"] is False and ex["n"] == N * N
    assert abs(float(ex["lambda_min"]["estimate"]) - exact_min) < 1e-8
    assert abs(float(ex["lambda_max"]["estimate"]) - exact_max) < 1e-8
    lo, hi = map(float, ex["lambda_min"]["enclosure"])
    assert lo <= exact_min <= hi
    # The rate is the interval problem [mu, L] of the enclosures' outer ends.
    assert r["problem"]["kind"] == "interval"
    expected = momentum.rate(method="heavy-ball", alpha=0.1, beta=0.3,
                             mu=ex["lambda_min"]["enclosure"][0],
                             L=ex["lambda_max"]["enclosure"][1])
    del r["extremes"]
    assert r == expected


def test_a_linear_operator_needs_entries_for_simulate():
    with pytest.raises(TypeError, match="needs Q's entries"):
        momentum.simulate(method="gd", eta=0.1, Q=laplacian_2d(3), x0=np.ones(9), steps=3)


def test_extremes_path_messages_in_either_order():
    Q = spd(6)
    Q[0, 1] += 1.0
    messages = []
    for q in (Q, np.asfortranarray(Q)):
        with pytest.raises(ValueError) as e:
            momentum.rate(**METHOD, Q=q, path="extremes")
        messages.append(str(e.value))
    assert messages[0] == messages[1] and "symmetric" in messages[0]
