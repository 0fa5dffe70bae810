# The rate of torch.optim.SGD with momentum near the minimum of a small model's loss: the loss's
# Hessian by Hessian-vector products (momentum.torch.hessian_operator), the optimizer's
# hyperparameters by momentum.torch.method_of.
import torch

import momentum
import momentum.torch

torch.manual_seed(0)
X = torch.randn(100, 5, dtype=torch.float64)
y = X @ torch.arange(1.0, 6.0, dtype=torch.float64) + 0.1 * torch.randn(100, dtype=torch.float64)
model = torch.nn.Linear(5, 1, dtype=torch.float64)


def loss():
    return torch.nn.functional.mse_loss(model(X).squeeze(1), y)


opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for _ in range(200):
    opt.zero_grad()
    loss().backward()
    opt.step()

H = momentum.torch.hessian_operator(loss, model.parameters()).dense()
r = momentum.rate(**momentum.torch.method_of(opt), Q=H)
print("SGD(lr=0.1, momentum=0.9) near the minimum: rate", r["spectral_radius"],
      "converges", r["converges"])
