# The rate of Nesterov's method on a least-squares problem h(x) = 1/2 |Ax - y|^2, whose Hessian
# Q = A'A is a numpy array handed to the library in place (no copy, no file), and the best
# tuning for it.
import numpy as np

import momentum

rng = np.random.default_rng(0)
A = rng.standard_normal((200, 50))
Q = A.T @ A
c = -A.T @ rng.standard_normal(200)

best = momentum.optimal(method="nesterov", Q=Q, c=c)
print("optimal Nesterov:", best["parameters"], "rate", best["rate"])
r = momentum.rate(method="nesterov", alpha=0.001, beta=0.9, Q=Q, c=c)
print("alpha = 0.001, beta = 0.9: rate", r["spectral_radius"], "regime", r["regime"])
