// Tests for worst_case.hpp: the worst case over a spectrum is at an end point (checked
// against a scan of every eigenvalue), ties, the rate seen from a start, and bad input.
#include "test_support.hpp"

#include <momentum/worst_case.hpp>

using namespace momentum;
using test::check_invalid;

namespace {
template <class T, class Method>
void ends_dominate(const Method& m, const Vector<T>& lambdas) {
  const WorstCase<T> w = worst_case(m, lambdas);
  T scan = 0;
  for (Eigen::Index i = 0; i < lambdas.size(); ++i) {
    const T r = spectral_radius(m, T(lambdas(i)));
    if (r > scan) scan = r;
  }
  INFO("ends " << test::str(w.rho) << " scan " << test::str(scan));
  CHECK(abs(w.rho - scan) <= test::ulps<T>(16) * (1 + scan));
  CHECK(!w.worst_eigenvalues.empty());
}
}  // namespace

TEST_CASE_TEMPLATE("the worst case over a spectrum is attained at an end point", T,
                   MOMENTUM_SCALARS) {
  std::mt19937_64 g(17);
  INFO("seed 17");
  for (int k = 0; k < 300; ++k) {
    Vector<T> l(12);
    const double lo = std::uniform_real_distribution<double>(0.01, 1)(g);
    const double hi = lo * std::uniform_real_distribution<double>(1, 1000)(g);
    for (Eigen::Index i = 0; i < l.size(); ++i) l(i) = test::uniform<T>(g, lo, hi);
    const T step = test::uniform<T>(g, 0, 2.5 / hi), beta = test::uniform<T>(g, -1, 1);
    ends_dominate(GradientDescent<T>(step), l);
    ends_dominate(HeavyBall<T>(step, beta), l);
    ends_dominate(Velocity<T>(step, beta), l);
    ends_dominate(Nesterov<T>(step, beta), l);
  }
}

TEST_CASE_TEMPLATE("which eigenvalue is worst, and ties", T, MOMENTUM_SCALARS) {
  const T mu = T(1), L = T(100);
  // GD with eta = 1/L: worst at mu (rho = 1 - 1/kappa).
  const WorstCase<T> gd = worst_case(GradientDescent<T>(T(1) / 100), mu, L);
  REQUIRE(gd.worst_eigenvalues.size() == 1);
  CHECK(gd.worst_eigenvalues[0] == mu);
  CHECK(abs(gd.rho - T(99) / 100) <= test::ulps<T>(4));
  CHECK(gd.regime == Regime::monotone);
  // GD with eta = 2/(mu + L): both ends tie.
  const WorstCase<T> opt = worst_case(GradientDescent<T>(T(2) / 101), mu, L);
  CHECK(opt.worst_eigenvalues.size() == 2);
  // Divergent at L.
  const WorstCase<T> div = worst_case(HeavyBall<T>(T(1) / 20, T(1) / 2), mu, L);
  CHECK(div.worst_eigenvalues.back() == L);
  CHECK(div.regime == Regime::divergent);
  CHECK_FALSE(div.converges());
  // A single eigenvalue.
  Vector<T> one(1);
  one << T(3);
  CHECK(worst_case(HeavyBall<T>(T(1) / 10, T(1) / 2), one).worst_eigenvalues.size() == 1);
}

TEST_CASE_TEMPLATE("worst_case rejects bad spectra, naming the argument", T, MOMENTUM_SCALARS) {
  const HeavyBall<T> m(T(1) / 10, T(1) / 2);
  check_invalid([&] { (void)worst_case(m, Vector<T>()); }, {"eigenvalues", "empty"});
  Vector<T> bad(2);
  bad << T(1), T(0);
  check_invalid([&] { (void)worst_case(m, bad); }, {"eigenvalue", "positive"});
  bad << T(1), T(-2);
  check_invalid([&] { (void)worst_case(m, bad); }, {"eigenvalue", "positive"});
  bad << T(1), std::numeric_limits<T>::quiet_NaN();
  check_invalid([&] { (void)worst_case(m, bad); }, {"eigenvalue", "finite"});
  check_invalid([&] { (void)worst_case(m, T(2), T(1)); }, {"lambda_min", "lambda_max"});
}

TEST_CASE_TEMPLATE("the rate from a start is the max over the directions it excites", T,
                   MOMENTUM_SCALARS) {
  Vector<T> l(3);
  l << T(1), T(10), T(100);
  const Quadratic<T> h = Quadratic<T>::diagonal(l);
  const GradientDescent<T> gd(T(1) / 100);
  Vector<T> x0(3);
  x0 << T(0), T(1), T(1);  // does not excite lambda = 1
  const StartRate<T> r = rate_from_start(gd, h, x0);
  CHECK(r.excited.size() == 2);
  CHECK(abs(r.rho - T(9) / 10) <= test::ulps<T>(4));
  CHECK(h.eigenvalues()(r.dominant) == 10);
  const StartRate<T> at_min = rate_from_start(gd, h, h.minimizer());
  CHECK(at_min.excited.empty());
  CHECK(at_min.rho == 0);
}

TEST_CASE_TEMPLATE("worst_case refuses infinite eigenvalues and accepts 1e-300 to 1e300", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  using std::sqrt;
  const HeavyBall<T> m(T(1) / 10, T(1) / 2);
  const T inf = std::numeric_limits<T>::infinity();
  check_invalid([&] { (void)worst_case(m, T(1), inf); }, {"lambda_max", "finite"});
  check_invalid([&] { (void)worst_case(m, T(-inf), T(1)); }, {"lambda_min", "finite"});
  // Tiny and huge eigenvalues are questions like any other.
  const WorstCase<T> huge = worst_case(GradientDescent<T>(parse<T>("1e-300")), parse<T>("1e299"),
                                       parse<T>("1e300"));
  CHECK(huge.regime == Regime::monotone);
  CHECK(huge.worst_eigenvalues.size() == 1);
  CHECK(huge.worst_eigenvalues[0] == parse<T>("1e299"));
  CHECK(abs(huge.rho - parse<T>("0.9")) <= test::ulps<T>(16));
  const WorstCase<T> tiny = worst_case(HeavyBall<T>(parse<T>("1e300"), T(1) / 2), parse<T>("1e-300"),
                                       parse<T>("2e-300"));
  CHECK(tiny.regime == Regime::complex);
  CHECK(abs(tiny.rho - sqrt(T(1) / 2)) <= test::ulps<T>(16));
}

// ---- The two-state family (issue 17): its coefficients are affine in lambda, so the set
// where rho <= r is an interval (Schur-Jury on z/r) and the worst case is at an end. ----

namespace family_worst_case_test {
template <class T, class Method>
void family_ends_dominate(const Method& m, const T& lo, const T& hi) {
  using std::abs;
  using std::max;
  const WorstCase<T> w = worst_case(m, lo, hi);
  const T slack = max(w.at_min.rho_error, w.at_max.rho_error) + test::ulps<T>(16) * (1 + w.rho);
  for (int i = 1; i < 40; ++i) {
    const Spectrum<T> sp = spectrum(m, T(lo + (hi - lo) * i / 40));
    INFO("ends " << test::str(w.rho) << " inside " << test::str(sp.rho));
    CHECK(sp.rho <= w.rho + slack + sp.rho_error);
  }
}
}  // namespace family_worst_case_test

TEST_CASE_TEMPLATE("family, PyTorch and QHM: the worst case is at an end point", T, MOMENTUM_SCALARS) {
  using family_worst_case_test::family_ends_dominate;
  std::mt19937_64 g(18);
  for (int k = 0; k < 150; ++k) {
    const double lo = std::uniform_real_distribution<double>(0.01, 1)(g);
    const double hi = lo * std::uniform_real_distribution<double>(1, 1000)(g);
    const T tl(lo), th(hi);
    family_ends_dominate(TwoState<T>(test::uniform<T>(g, 0, 2.5 / hi), test::uniform<T>(g, -1, 1),
                                     test::uniform<T>(g, -1, 2)), tl, th);
    family_ends_dominate(PyTorchSGD<T>(test::uniform<T>(g, 0, 2.5 / hi), test::uniform<T>(g, 0, 1),
                                       test::uniform<T>(g, 0, 1), test::uniform<T>(g, 0, lo), k % 2 == 0),
                         tl, th);
    family_ends_dominate(QHM<T>(test::uniform<T>(g, 0, 5 / hi), test::uniform<T>(g, 0, 1),
                                test::uniform<T>(g, 0, 0.99)), tl, th);
  }
}
