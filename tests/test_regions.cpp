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

// ---- The two-state family (issue 17) ----

namespace family_regions_test {
/// Dyadic rationals n / 2^k: exact in every scalar type here, so the region's edges are exact.
template <class T>
T dyadic(long long n, int k) {
  return T(n) / T(1LL << k);
}
}  // namespace family_regions_test

TEST_CASE_TEMPLATE("family predicates and intervals agree with rho < 1", T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(14);
  int checked = 0;
  for (int k = 0; k < 2000; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 5);
    const TwoState<T> m(test::uniform<T>(g, -0.3, 1.5), test::uniform<T>(g, -1.5, 1.5),
                        test::uniform<T>(g, -2, 3));
    const PyTorchSGD<T> pt(test::uniform<T>(g, 0, 1.5), test::uniform<T>(g, 0, 1.1),
                           test::uniform<T>(g, 0, 1), test::uniform<T>(g, 0, 0.5), k % 2 == 0);
    const QHM<T> q(test::uniform<T>(g, 0, 3), test::uniform<T>(g, -0.2, 1.2), test::uniform<T>(g, -0.5, 1.05));
    for (int which = 0; which < 3; ++which) {
      using std::abs;
      const Spectrum<T> sp = which == 0 ? spectrum(m, lambda) : which == 1 ? spectrum(pt, lambda) : spectrum(q, lambda);
      if (abs(sp.rho - 1) <= test::ulps<T>(1024)) continue;
      ++checked;
      const bool by_rho = sp.rho < 1;
      const bool pred = which == 0 ? converges(m, lambda) : which == 1 ? converges(pt, lambda) : converges(q, lambda);
      const Interval<T> iv = which == 0 ? lambda_interval(m) : which == 1 ? lambda_interval(pt) : lambda_interval(q);
      INFO("case " << k << " method " << which << " rho=" << test::str(sp.rho));
      CHECK(pred == by_rho);
      CHECK(iv.contains(lambda) == by_rho);
      if (which == 0) CHECK(convergence_interval(m).contains(T(m.alpha * lambda)) == by_rho);
    }
  }
  CHECK(checked > 5500);
}

TEST_CASE_TEMPLATE("the family's intervals of heavy ball and Nesterov are theirs", T, MOMENTUM_SCALARS) {
  using std::abs;
  std::mt19937_64 g(15);
  for (int k = 0; k < 500; ++k) {
    const T alpha = test::uniform<T>(g, 0.01, 2), beta = test::uniform<T>(g, -1.5, 1.5);
    const HeavyBall<T> hb(alpha, beta);
    const Nesterov<T> n(alpha, beta);
    const Interval<T> a = convergence_interval(hb), b = convergence_interval(family(hb));
    const Interval<T> c = convergence_interval(n), d = convergence_interval(family(n));
    INFO("beta=" << test::str(beta));
    CHECK(a.empty == b.empty);
    if (!a.empty) {
      CHECK(a.lo == b.lo);
      CHECK(a.hi == b.hi);
    }
    CHECK(c.empty == d.empty);
    if (!c.empty) {
      CHECK(abs(c.lo - d.lo) <= test::ulps<T>(4) * (1 + abs(c.lo)));
      CHECK(abs(c.hi - d.hi) <= test::ulps<T>(4) * (1 + abs(c.hi)));
    }
    // lambda_interval of the named methods is theirs divided by the step.
    const Interval<T> l = lambda_interval(hb);
    CHECK(l.empty == a.empty);
    if (!a.empty) CHECK(l.hi == a.hi / alpha);
  }
}

TEST_CASE_TEMPLATE("family region edges are exact (dyadic inputs): boundary on the edge, inside converges",
                   T, MOMENTUM_SCALARS) {
  using family_regions_test::dyadic;
  std::mt19937_64 g(16);
  auto pick = [&](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(g);
  };
  // alpha a power of two, beta = n/8 and gamma with gamma and 1 + 2 gamma powers of two (or 0):
  // every end 2 (1 + beta)/(1 + 2 gamma), (beta -+ 1)/gamma and its lambda = s/alpha is exact.
  const T gammas[] = {T(0), T(1) / 2, T(-1) / 4, T(-1), T(-1) / 2};
  int edges = 0, empty = 0;
  for (int k = 0; k < 400; ++k) {
    const T alpha = dyadic<T>(1LL << pick(0, 5), 3), beta = dyadic<T>(pick(-12, 12), 3);
    const T gamma = gammas[pick(0, 4)];
    const TwoState<T> m(alpha, beta, gamma);
    const Interval<T> s = convergence_interval(m), l = lambda_interval(m);
    INFO("alpha=" << test::str(alpha) << " beta=" << test::str(beta) << " gamma=" << test::str(gamma));
    CHECK(s.empty == l.empty);
    if (s.empty) {
      ++empty;
      for (int i = 1; i < 64; ++i) CHECK_FALSE(converges(m, dyadic<T>(i, 2)));
      continue;
    }
    for (const T& end : {l.lo, l.hi}) {
      if (end <= 0) continue;  // the alpha lambda > 0 edge: lambda = 0, not an eigenvalue
      CHECK_FALSE(converges(m, end));
      CHECK(spectrum(m, end).regime == Regime::boundary);
      ++edges;
    }
  }
  CHECK(edges > 250);
  CHECK(empty > 10);
  // Any dyadic member: the middle converges, and 1/1024 of the width past an end does not.
  for (int k = 0; k < 400; ++k) {
    const TwoState<T> m(dyadic<T>(pick(1, 16), 3), dyadic<T>(pick(-12, 12), 3), dyadic<T>(pick(-16, 16), 3));
    const Interval<T> l = lambda_interval(m);
    if (l.empty) continue;
    INFO("alpha=" << test::str(m.alpha) << " beta=" << test::str(m.beta) << " gamma=" << test::str(m.gamma));
    const T mid = (l.lo + l.hi) / 2, w = (l.hi - l.lo) / 1024;
    CHECK(converges(m, mid));
    CHECK(spectrum(m, mid).converges());
    CHECK(converges(m, T(l.hi - w)));
    CHECK_FALSE(converges(m, T(l.hi + w)));
    CHECK(converges(m, T(l.lo + w)));
    CHECK_FALSE(converges(m, T(l.lo - w)));
  }
}

TEST_CASE_TEMPLATE("family intervals: empty cases and QHM / PyTorch shifts", T, MOMENTUM_SCALARS) {
  // alpha = 0 (PyTorch nesterov with momentum * dampening = 1): the root 1 stays.
  CHECK(lambda_interval(PyTorchSGD<T>(T(1) / 4, T(1) / 2, T(2), T(0), true)).empty);
  CHECK(convergence_interval(TwoState<T>(T(0), T(0), T(0))).empty);
  // gamma = 0, |beta| >= 1: empty, as heavy ball.
  CHECK(convergence_interval(TwoState<T>(T(1), T(1), T(0))).empty);
  // QHM beta = 1 never converges.
  CHECK(lambda_interval(QHM<T>(T(1), T(1) / 2, T(1))).empty);
  // beta = 3/2, gamma = 1: |3/2 - s| < 1 gives s in (1/2, 5/2); s (1 + 2) < 5 gives s < 5/3.
  const Interval<T> iv = convergence_interval(TwoState<T>(T(1), T(3) / 2, T(1)));
  CHECK_FALSE(iv.empty);
  CHECK(iv.lo == T(1) / 2);
  CHECK(abs(iv.hi - T(5) / 3) <= test::ulps<T>(2));
  // PyTorch without momentum is gradient descent on lambda + wd: lr = 1/2, wd = 1/4:
  // lambda + 1/4 in (0, 4), lambda in (-1/4, 15/4).
  const Interval<T> p = lambda_interval(PyTorchSGD<T>(T(1) / 2, T(0), T(0), T(1) / 4));
  CHECK(p.lo == T(-1) / 4);
  CHECK(p.hi == T(15) / 4);
}
