// The built-in example until the `momentum` command-line tool lands: d2l's ill-conditioned
// f(x) = 0.1 x1^2 + 2 x2^2 (Q = diag(0.2, 4)) with the velocity form eta = 0.6, beta = 0.5:
// the regime and rate of each eigenvalue, the worst case, the optimal tuning and its gain, and
// a 50-digit verification of the rate over 10^4 steps from d2l's start (-5, -2).
#include <momentum/momentum.hpp>

#include <iostream>

namespace {
template <class T>
void print_row(const char* name, const momentum::Spectrum<T>& sp, const T& lambda, int digits) {
  std::cout << "  lambda = " << momentum::to_string(lambda, 6) << ": rho = "
            << momentum::to_string(sp.rho, digits) << "  (" << momentum::to_string(sp.regime)
            << ", " << name << ")\n";
}
}  // namespace

int main() {
  using namespace momentum;
  set_digits(50);
  using T = mpfr_float;
  Vector<T> lambdas(2);
  lambdas << parse<T>("0.2"), parse<T>("4");
  const Velocity<T> method(parse<T>("0.6"), parse<T>("0.5"));
  std::cout << "d2l: f(x) = 0.1 x1^2 + 2 x2^2, velocity form eta = 0.6, beta = 0.5\n";
  for (Eigen::Index i = 0; i < 2; ++i)
    print_row("velocity form", spectrum(method, T(lambdas(i))), T(lambdas(i)), 20);
  const WorstCase<T> w = worst_case(method, lambdas);
  std::cout << "worst-case rate " << to_string(w.rho, 20) << " ("
            << (w.converges() ? "converges" : "does not converge") << ")\n";
  const auto gd = optimal_gd(lambdas.minCoeff(), lambdas.maxCoeff());
  const auto hb = optimal_velocity(lambdas.minCoeff(), lambdas.maxCoeff());
  std::cout << "optimal gradient descent: eta = " << to_string(gd.method.eta, 20) << ", rate "
            << to_string(gd.rate, 20) << "\n"
            << "optimal velocity form:    eta = " << to_string(hb.method.eta, 20)
            << ", beta = " << to_string(hb.method.beta, 20) << ", rate "
            << to_string(hb.rate, 20) << " (" << hb.status << ")\n"
            << "gain: log(rate)/log(optimal rate) = "
            << to_string(T(log(w.rho) / log(hb.rate)), 6)
            << " (the optimum needs that fraction of the iterations)\n";
  Vector<T> x0(2), v0 = Vector<T>::Zero(2);
  x0 << T(-5), T(-2);
  VerifyOptions<T> options;
  options.steps = 10000;
  const RateVerification<T> r = verify_rate(method, lambdas, x0, v0, options);
  std::cout << "50-digit verification over 10^4 steps: " << (r.holds ? "holds" : "FAILS") << "\n"
            << summary(r) << "\n";
  return r.holds ? 0 : 1;
}
