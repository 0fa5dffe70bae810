"""Parity: the dict each function returns equals the JSON the command-line tool prints for the
same options (the built executable, run as a process)."""
import numpy as np
import pytest
import scipy.io
import scipy.sparse

import momentum

# Each case: the command line (without --json) and the same as keyword arguments.
CASES = [
    (["rate", "--method", "gd", "--eta", "0.4", "--eigenvalues", "0.2,4"],
     dict(method="gd", eta=0.4, eigenvalues=[0.2, 4])),
    (["rate", "--method", "heavy-ball", "--alpha", "4/121", "--beta", "81/121", "--mu", "1",
      "--L", "100", "--digits", "50"],
     dict(method="heavy-ball", alpha="4/121", beta="81/121", mu=1, L=100, digits=50)),
    (["rate", "--method", "velocity", "--eta", "0.6", "--beta", "0.5", "--eigenvalues",
      "0.2,4", "--all", "--digits", "17"],
     dict(method="velocity", eta="0.6", beta="0.5", eigenvalues=(0.2, 4), all=True, digits=17)),
    (["rate", "--method", "nesterov", "--alpha", "0.01", "--beta", "0.9", "--eigenvalues",
      "0.01,50", "--x0=1,-1"],
     dict(method="nesterov", alpha=0.01, beta=0.9, eigenvalues=np.array([0.01, 50]),
          x0=[1, -1])),
    (["rate", "--method", "velocity", "--eta", "0.1", "--beta", "0.9", "--eigenvalues",
      "1,2,5,10", "--noise", "0.01"],
     dict(method="velocity", eta=0.1, beta=0.9, eigenvalues=[1, 2, 5, 10], noise=0.01)),
    (["optimal", "--method", "all", "--eigenvalues", "0.2,4"],
     dict(method="all", eigenvalues=[0.2, 4])),
    (["optimal", "--method", "heavy-ball", "--mu", "1", "--L", "100", "--digits", "50"],
     dict(method="heavy-ball", mu=1, L=100, digits=50)),
    (["optimal", "--method", "nesterov", "--mu", "0.5", "--L", "8", "--digits", "17"],
     dict(method="nesterov", mu="0.5", L=8, digits=17)),
    (["verify", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.5", "--eigenvalues",
      "1,10", "--steps", "500"],
     dict(method="heavy-ball", alpha=0.1, beta=0.5, eigenvalues=[1, 10], steps=500)),
    # A wrong claimed rate: exit status 1 on the command line, a result in Python.
    (["verify", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,10", "--steps", "300",
      "--rho", "0.85"],
     dict(method="gd", eta=0.1, eigenvalues=[1, 10], steps=300, rho=0.85)),
    (["simulate", "--method", "gd", "--eta", "0.4", "--eigenvalues", "0.2,4", "--x0=-5,-2",
      "--steps", "20", "--at", "5,20"],
     dict(method="gd", eta=0.4, eigenvalues=[0.2, 4], x0=[-5, -2], steps=20, at=[5, 20])),
    (["simulate", "--method", "velocity", "--eta", "0.6", "--beta", "0.5", "--eigenvalues",
      "0.2,4", "--x0", "1,1", "--steps", "30", "--at", "30", "--digits", "50"],
     dict(method="velocity", eta=0.6, beta=0.5, eigenvalues=[0.2, 4], x0=[1, 1], steps=30,
          at=30, digits=50)),
    (["landscape", "--method", "heavy-ball", "--mu", "1", "--L", "10", "--grid", "12"],
     dict(method="heavy-ball", mu=1, L=10, grid=12)),
    (["landscape", "--method", "velocity", "--eigenvalues", "0.2,4", "--eta", "0.1:0.9",
      "--beta", "0:0.9", "--grid", "8x6"],
     dict(method="velocity", eigenvalues=[0.2, 4], eta=(0.1, 0.9), beta="0:0.9", grid="8x6")),
]


@pytest.mark.parametrize("line,kwargs", CASES, ids=[" ".join(c[0][:3]) for c in CASES])
def test_same_json_as_the_command_line(cli, line, kwargs):
    status, expected = cli(*line)
    assert status in (0, 1), expected
    got = getattr(momentum, line[0])(**kwargs)
    assert got == expected


def test_verify_failing_theory_is_a_result(cli):
    got = momentum.verify(method="gd", eta=0.1, eigenvalues=[1, 10], steps=300, rho=0.85)
    assert got["holds"] is False


def _without_description(document):
    """The JSON with the problem's description (which names the file or the array) removed."""
    document = dict(document)
    problem = dict(document.get("problem", {}))
    problem.pop("description", None)
    document["problem"] = problem
    return document


def _spd(n, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


@pytest.mark.parametrize("command,kwargs", [
    ("rate", dict(method="heavy-ball", alpha=0.01, beta=0.5)),
    ("rate", dict(method="nesterov", alpha=0.01, beta=0.5, digits=50)),
    ("optimal", dict(method="all")),
    ("verify", dict(method="gd", eta=0.01, steps=200)),
    ("simulate", dict(method="velocity", eta=0.01, beta=0.5, steps=10, at=10, x0="1,0,0,0,0,1")),
])
def test_dense_q_as_a_file_and_in_memory(cli, tmp_path, command, kwargs):
    Q = _spd(6, 1)
    c = np.arange(6.0)
    np.save(tmp_path / "Q.npy", Q)
    np.save(tmp_path / "c.npy", c)
    args = [command]
    for k, v in kwargs.items():
        args += [f"--{k}", str(v)]
    status, expected = cli(*args, "--matrix", tmp_path / "Q.npy", "--linear", tmp_path / "c.npy")
    assert status in (0, 1), expected
    fn = getattr(momentum, command)
    # The same file through Python: identical, description included.
    assert fn(**kwargs, matrix=str(tmp_path / "Q.npy"), linear=str(tmp_path / "c.npy")) == expected
    # The array in memory: identical but for the description.
    got = fn(**kwargs, Q=Q, c=c)
    assert _without_description(got) == _without_description(expected)
    assert "<Q: numpy 6x6 array>" in got["problem"]["description"]


@pytest.mark.parametrize("path", ["extremes", "dense"])
def test_sparse_q_as_a_file_and_in_memory(cli, tmp_path, path):
    n = 300
    Q = scipy.sparse.diags([-np.ones(n - 1), 2.5 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1],
                           format="csr")
    scipy.io.mmwrite(str(tmp_path / "Q.mtx"), Q)
    kwargs = dict(method="heavy-ball", alpha=0.1, beta=0.3, path=path)
    args = ["rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.3", "--path", path]
    status, expected = cli(*args, "--matrix", tmp_path / "Q.mtx")
    assert status == 0, expected
    got = momentum.rate(**kwargs, Q=Q)
    assert _without_description(got) == _without_description(expected)


@pytest.mark.parametrize("order", ["C", "F"])
def test_dense_q_on_the_extremes_path(cli, tmp_path, order):
    # In memory, a dense Q on the extremes path is read in place (a view of numpy's buffer).
    Q = np.asarray(_spd(250, 2), order=order)
    np.save(tmp_path / "Q.npy", Q)
    status, expected = cli("rate", "--method", "heavy-ball", "--alpha", "0.001", "--beta", "0.5",
                           "--path", "extremes", "--matrix", tmp_path / "Q.npy")
    assert status == 0, expected
    got = momentum.rate(method="heavy-ball", alpha=0.001, beta=0.5, path="extremes", Q=Q)
    assert _without_description(got) == _without_description(expected)
    assert got["problem"]["description"].startswith("Q from <Q: numpy 250x250 array>")
