"""momentum.torch: the method of a torch.optim.SGD and the Hessian of a loss by autograd."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import momentum  # noqa: E402
import momentum.torch  # noqa: E402


def params():
    return [torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))]


@pytest.mark.parametrize("options", [
    dict(lr=0.1),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.1),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.05, momentum=0.5, weight_decay=1e-4),
])
def test_method_of_each_sgd_option(options):
    opt = torch.optim.SGD(params(), **options)
    expected = dict(method="pytorch", lr=0.0, momentum=0.0, dampening=0.0, weight_decay=0.0,
                    nesterov=False)
    expected.update(options)
    got = momentum.torch.method_of(opt)
    assert got == expected
    assert type(got["nesterov"]) is bool


def test_method_of_param_groups():
    a, b = params(), params()
    same = torch.optim.SGD([{"params": a}, {"params": b}], lr=0.1, momentum=0.9)
    assert momentum.torch.method_of(same)["lr"] == 0.1
    differ = torch.optim.SGD([{"params": a}, {"params": b, "lr": 0.01}], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"param groups 0 and 1 differ \(lr: 0.1 vs 0.01\)"):
        momentum.torch.method_of(differ)


def test_method_of_other_optimizers():
    with pytest.raises(TypeError, match="expected a torch.optim.SGD, got Adam"):
        momentum.torch.method_of(torch.optim.Adam(params()))


def test_hessian_operator_of_a_quadratic_model_is_its_q():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    Q = A @ A.T + np.eye(4)
    Qt = torch.tensor(Q)
    c = torch.tensor(rng.standard_normal(4))
    x = torch.nn.Parameter(torch.tensor(rng.standard_normal(4)))

    def loss():
        return 0.5 * x @ Qt @ x + c @ x

    H = momentum.torch.hessian_operator(loss, [x])
    assert H.shape == (4, 4)
    v = rng.standard_normal(4)
    np.testing.assert_allclose(H.matvec(v), Q @ v, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(H.dense(), Q, rtol=1e-14, atol=1e-14)
    with pytest.raises(ValueError, match="expected a vector of 4 entries"):
        H.matvec(np.ones(3))


def test_hessian_of_a_linear_model_over_several_parameters():
    torch.manual_seed(0)
    X = torch.randn(20, 3, dtype=torch.float64)
    y = torch.randn(20, dtype=torch.float64)
    model = torch.nn.Linear(3, 1, dtype=torch.float64)

    def loss():
        return ((model(X).squeeze(1) - y) ** 2).mean()

    H = momentum.torch.hessian_operator(loss, model.parameters()).dense()
    Xb = np.column_stack([X.numpy(), np.ones(20)])  # weight, then bias
    np.testing.assert_allclose(H, 2 * Xb.T @ Xb / 20, rtol=1e-12)
    r = momentum.rate(method="heavy-ball", alpha=0.1, beta=0.5, Q=H)
    assert r["problem"]["dimension"] == 4


def test_rate_of_an_sgd_optimizer():
    if "lr" not in momentum._momentum.options("rate"):
        pytest.skip("this build's tool has no --method pytorch (issue 17)")
    x = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    Q = np.diag([1.0, 10.0])
    opt = torch.optim.SGD([x], lr=0.1, momentum=0.5)
    got = momentum.rate(**momentum.torch.method_of(opt), Q=Q)
    # PyTorch's SGD with dampening 0 is the heavy ball with alpha = lr, beta = momentum.
    hb = momentum.rate(method="heavy-ball", alpha=0.1, beta=0.5, Q=Q)
    assert got["spectral_radius"] == hb["spectral_radius"]


def test_rate_on_the_hessian_operator_from_products_alone():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((30, 30))
    Q = A @ A.T / 30 + 0.5 * np.eye(30)
    Qt = torch.tensor(Q)
    x = torch.nn.Parameter(torch.zeros(30, dtype=torch.float64))
    H = momentum.torch.hessian_operator(lambda: 0.5 * x @ Qt @ x, [x])
    r = momentum.rate(method="heavy-ball", alpha=0.1, beta=0.5, Q=H)
    w = np.linalg.eigvalsh(Q)
    assert r["extremes"]["certified"] is False
    assert abs(float(r["extremes"]["lambda_min"]["estimate"]) - w[0]) < 1e-8
    assert abs(float(r["extremes"]["lambda_max"]["estimate"]) - w[-1]) < 1e-8
