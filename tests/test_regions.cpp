// Tests for regions.hpp: the Schur-Jury predicates agree with the closed-form radius, and the
// convergence intervals of alpha*lambda.
#include "test_support.hpp"

#include <momentum/regions.hpp>
#include <momentum/spectrum.hpp>

using namespace momentum;

namespace {
/// Away from the region's edge (|rho - 1| beyond rounding), the predicate and rho < 1 agree,
/// and so does the interval.
template <class T, class Method>
void agree(const Method& m, const T& lambda, int& checked) {
  using std::abs;
  const Spectrum<T> sp = spectrum(m, lambda);
  if (abs(sp.rho - 1) <= test::ulps<T>(1024)) return;
  ++checked;
  const bool by_rho = sp.rho < 1;
  CHECK(converges(m, lambda) == by_rho);
  const Interval<T> iv = convergence_interval(m);
  T s = lambda;
  if constexpr (std::is_same_v<Method, GradientDescent<T>> || std::is_same_v<Method, Velocity<T>>)
    s = m.eta * lambda;
  else
    s = m.alpha * lambda;
  CHECK(iv.contains(s) == by_rho);
}
}  // namespace

TEST_CASE_TEMPLATE("Schur-Jury predicates and intervals agree with rho < 1", T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(13);
  INFO("seed 13");
  int checked = 0;
  for (int k = 0; k < 2000; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 5);
    const T step = test::uniform<T>(g, -0.3, 1.5);
    const T beta = test::uniform<T>(g, -1.5, 1.5);
    agree(GradientDescent<T>(step), lambda, checked);
    agree(HeavyBall<T>(step, beta), lambda, checked);
    agree(Velocity<T>(step, beta), lambda, checked);
    agree(Nesterov<T>(step, beta), lambda, checked);
  }
  CHECK(checked > 7900);
}

TEST_CASE_TEMPLATE("interval end points", T, MOMENTUM_SCALARS) {
  const T half = T(1) / 2;
  const Interval<T> hb = convergence_interval(HeavyBall<T>(T(1), half));
  CHECK(hb.lo == 0);
  CHECK(hb.hi == 3);
  CHECK(convergence_interval(HeavyBall<T>(T(1), T(1))).empty);
  CHECK(convergence_interval(Velocity<T>(T(1), T(-1))).empty);
  const Interval<T> gd = convergence_interval(GradientDescent<T>(T(1)));
  CHECK(gd.hi == 2);
  // Nesterov, 0 <= beta <= 1: (0, (2 + 2 beta)/(1 + 2 beta)).
  const Interval<T> n = convergence_interval(Nesterov<T>(T(1), half));
  CHECK(n.lo == 0);
  CHECK(abs(n.hi - T(3) / 2) <= test::ulps<T>(2));
  const Interval<T> n0 = convergence_interval(Nesterov<T>(T(1), T(0)));
  CHECK(n0.hi == 2);
  // beta = -1/2: (1 + 2 beta) q > -1 always holds; |q| < 2 and q < 1 give s in (0, 3).
  const Interval<T> nm = convergence_interval(Nesterov<T>(T(1), -half));
  CHECK(nm.lo == 0);
  CHECK(nm.hi == 3);
  CHECK(schur_stable(T(0), half));
  CHECK_FALSE(schur_stable(T(2), half));
}
