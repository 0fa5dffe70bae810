"""PyTorch helpers: the method of a ``torch.optim.SGD`` and the Hessian of a loss as an operator.

    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> momentum.rate(**momentum.torch.method_of(opt), Q=H)

``method_of`` gives the keyword arguments of the tool's ``--method pytorch`` (lr, momentum,
dampening, weight_decay, nesterov); ``hessian_operator`` gives the Hessian of a loss at the
current parameters as an object with ``shape`` and ``matvec`` (Hessian-vector products by
double backward, in float64), like ``scipy.sparse.linalg.LinearOperator``.
"""

import numpy as _np
import torch as _torch

__all__ = ["method_of", "hessian_operator", "HessianOperator"]

_SGD_KEYS = ("lr", "momentum", "dampening", "weight_decay", "nesterov")


def _plain(value):
    """A hyperparameter as a Python number (lr may be a 0-d tensor)."""
    if isinstance(value, _torch.Tensor):
        return value.item()
    return value


def method_of(optimizer):
    """The keyword arguments of ``momentum.rate`` and friends for a ``torch.optim.SGD``:
    ``dict(method="pytorch", lr=..., momentum=..., dampening=..., weight_decay=...,
    nesterov=...)``.

    Raises TypeError for another optimizer, ValueError when its param groups differ in one of
    these hyperparameters (naming the groups and the values) or when it maximizes."""
    if not isinstance(optimizer, _torch.optim.SGD):
        raise TypeError(f"method_of: expected a torch.optim.SGD, got {type(optimizer).__name__}")
    groups = optimizer.param_groups
    if not groups:
        raise ValueError("method_of: the optimizer has no param groups")
    first = groups[0]
    for i, g in enumerate(groups[1:], start=1):
        differ = [k for k in _SGD_KEYS if _plain(g.get(k)) != _plain(first.get(k))]
        if differ:
            detail = "; ".join(f"{k}: {_plain(first.get(k))!r} vs {_plain(g.get(k))!r}"
                               for k in differ)
            raise ValueError(f"method_of: param groups 0 and {i} differ ({detail}): "
                             f"one rate needs one method; pass an optimizer with one group")
    if first.get("maximize", False):
        raise ValueError("method_of: the optimizer maximizes (maximize=True); the rates are "
                         "for minimization")
    method = {"method": "pytorch"}
    for k in _SGD_KEYS:
        value = _plain(first[k])
        method[k] = bool(value) if k == "nesterov" else value
    return method


class HessianOperator:
    """The Hessian of ``loss_fn()`` with respect to ``params`` at their current values, as a
    linear operator: ``shape`` (n, n), ``dtype`` float64, ``matvec(v)`` (= ``rmatvec``, the
    Hessian is symmetric) and ``@``. Each product evaluates the loss and differentiates it
    twice (torch.autograd); the parameters' own dtype sets the arithmetic (use float64
    parameters for float64 products)."""

    def __init__(self, loss_fn, params):
        self.loss_fn = loss_fn
        self.params = [p for p in params if p.requires_grad]
        if not self.params:
            raise ValueError("hessian_operator: no parameter requires grad")
        self.n = sum(p.numel() for p in self.params)
        self.shape = (self.n, self.n)
        self.dtype = _np.dtype(_np.float64)

    def matvec(self, v):
        v = _np.asarray(v, dtype=_np.float64).reshape(-1)
        if v.shape[0] != self.n:
            raise ValueError(f"matvec: expected a vector of {self.n} entries, got {v.shape[0]}")
        loss = self.loss_fn()
        grads = _torch.autograd.grad(loss, self.params, create_graph=True)
        flat = _torch.cat([g.reshape(-1) for g in grads])
        direction = _torch.as_tensor(v, dtype=flat.dtype, device=flat.device)
        hv = _torch.autograd.grad(flat, self.params, grad_outputs=direction)
        return _torch.cat([h.reshape(-1) for h in hv]).detach().to("cpu", _torch.float64).numpy()

    rmatvec = matvec

    def __matmul__(self, v):
        v = _np.asarray(v, dtype=_np.float64)
        if v.ndim == 1:
            return self.matvec(v)
        return _np.column_stack([self.matvec(v[:, j]) for j in range(v.shape[1])])

    def dense(self):
        """The n x n Hessian as a numpy array (n products: for small models)."""
        return self @ _np.eye(self.n)


def hessian_operator(loss_fn, params):
    """The Hessian of ``loss_fn()`` (a function of no arguments returning a scalar tensor)
    with respect to ``params`` (an iterable of tensors, e.g. ``model.parameters()``) as a
    HessianOperator."""
    return HessianOperator(loss_fn, params)
