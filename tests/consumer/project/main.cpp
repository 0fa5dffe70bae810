// Uses the installed library: the optimal heavy ball on [1, 100] and its worst-case rate.
#include <momentum/momentum.hpp>

#include <cstdio>

int main() {
  const auto t = momentum::optimal_heavy_ball(1.0, 100.0);
  const auto w = momentum::worst_case(t.method, 1.0, 100.0);
  std::printf("heavy ball rate %.15f (closed form %.15f)\n", w.rho, t.rate);
  return (w.rho - 9.0 / 11) < 1e-6 && (9.0 / 11 - w.rho) < 1e-6 ? 0 : 1;
}
