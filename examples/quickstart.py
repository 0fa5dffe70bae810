# The README's Python quick start: the rate of the heavy ball tuned for [mu, L] = [1, 100], and
# the optimal Nesterov tuning there.
import momentum

r = momentum.rate(method="heavy-ball", alpha="4/121", beta="81/121", mu=1, L=100)
print(r["spectral_radius"], r["regime"])
best = momentum.optimal(method="nesterov", mu=1, L=100)
print(best["parameters"], best["rate"])
