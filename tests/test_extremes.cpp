// Tests for extremes.hpp: extreme eigenvalues of dense and sparse Q with proven enclosures,
// certificates that can fail, and rate intervals that contain the exact worst-case rate
// (checked against brute-force sampling in 50-digit arithmetic).
#include "test_support.hpp"

#include <momentum/extremes.hpp>
#include <momentum/tuning.hpp>

#include <boost/math/constants/constants.hpp>

#include <vector>

using namespace momentum;
using test::check_invalid;
using F50 = momentum::float50;

namespace {

/// A random orthogonal matrix (Q factor of a Gaussian matrix), fixed seed.
Matrix<double> random_orthogonal(Eigen::Index n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> normal;
  Matrix<double> G(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) G(i, j) = normal(g);
  Eigen::HouseholderQR<Matrix<double>> qr(G);
  return qr.householderQ();
}

/// The baseline spectrum (../shared/baselines/common.py): log-spaced in [1, 1e4], ends exact.
Vector<double> log_spaced(Eigen::Index n) {
  Vector<double> l(n);
  for (Eigen::Index i = 0; i < n; ++i)
    l(i) = std::pow(10.0, 4.0 * static_cast<double>(i) / static_cast<double>(n - 1));
  l(0) = 1;
  l(n - 1) = 1e4;
  return l;
}

/// O diag(l) O^T, symmetrized exactly.
Matrix<double> rotated(const Vector<double>& l, std::uint64_t seed) {
  const Matrix<double> O = random_orthogonal(l.size(), seed);
  const Matrix<double> Q = O * l.asDiagonal() * O.transpose();
  return (Q + Q.transpose()) / 2;
}

/// Eigenvalues of a double matrix, computed in long double (errors ~1e-19 ||Q||): the reference
/// for what the enclosures must contain.
Vector<long double> reference_eigenvalues(const Matrix<double>& Q) {
  Eigen::SelfAdjointEigenSolver<Matrix<long double>> es(Q.cast<long double>(),
                                                       Eigen::EigenvaluesOnly);
  return es.eigenvalues();
}

/// 1-D Laplacian tridiag(-1, 2, -1) of size N (Dirichlet).
template <class T>
Eigen::SparseMatrix<T> laplacian_1d(int N) {
  std::vector<Eigen::Triplet<T>> t;
  for (int i = 0; i < N; ++i) {
    t.emplace_back(i, i, T(2));
    if (i > 0) t.emplace_back(i, i - 1, T(-1));
    if (i + 1 < N) t.emplace_back(i, i + 1, T(-1));
  }
  Eigen::SparseMatrix<T> Q(N, N);
  Q.setFromTriplets(t.begin(), t.end());
  return Q;
}

/// 2-D Laplacian (5-point stencil, Dirichlet) on an N x N grid, n = N^2.
Eigen::SparseMatrix<double> laplacian_2d(int N) {
  std::vector<Eigen::Triplet<double>> t;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      const int k = i * N + j;
      t.emplace_back(k, k, 4.0);
      if (i > 0) t.emplace_back(k, k - N, -1.0);
      if (i + 1 < N) t.emplace_back(k, k + N, -1.0);
      if (j > 0) t.emplace_back(k, k - 1, -1.0);
      if (j + 1 < N) t.emplace_back(k, k + 1, -1.0);
    }
  Eigen::SparseMatrix<double> Q(N * N, N * N);
  Q.setFromTriplets(t.begin(), t.end());
  return Q;
}

/// 4 sin^2(j pi / (2 (N + 1))) in 50 digits: the eigenvalues 2 - 2 cos(j pi/(N+1)) of the
/// 1-D Laplacian.
F50 sin2(int j, int N) {
  using std::sin;
  const F50 x = sin(F50(j) * boost::math::constants::pi<F50>() / (2 * (N + 1)));
  return 4 * x * x;
}

template <class T>
bool contains(const EigenEnclosure<T>& e, const F50& x) {
  return F50(e.lo) <= x && x <= F50(e.hi);
}

/// The same method with its parameters in 50 digits (double and long double convert exactly).
template <class T>
GradientDescent<F50> to50(const GradientDescent<T>& m) {
  return GradientDescent<F50>(F50(m.eta));
}
template <class T>
HeavyBall<F50> to50(const HeavyBall<T>& m) {
  return HeavyBall<F50>(F50(m.alpha), F50(m.beta));
}
template <class T>
Velocity<F50> to50(const Velocity<T>& m) {
  return Velocity<F50>(F50(m.eta), F50(m.beta));
}
template <class T>
Nesterov<F50> to50(const Nesterov<T>& m) {
  return Nesterov<F50>(F50(m.alpha), F50(m.beta));
}

template <class T>
TwoState<F50> to50(const TwoState<T>& m) {
  return TwoState<F50>::from_coefficients(F50(m.alpha), F50(m.beta), F50(m.alpha_gamma));
}
template <class T>
PyTorchSGD<F50> to50(const PyTorchSGD<T>& m) {
  return PyTorchSGD<F50>(F50(m.lr), F50(m.momentum), F50(m.dampening), F50(m.weight_decay), m.nesterov);
}
template <class T>
QHM<F50> to50(const QHM<T>& m) {
  return QHM<F50>(F50(m.alpha), F50(m.nu), F50(m.beta));
}

/// radius_range against rho sampled at 101 points of [lo, hi] (ends included) in 50 digits:
/// every sample inside the range, and the sup not looser than 1e-6 (the sup is at an end).
template <class T, class Method>
void check_range_by_sampling(const Method& m, const T& lo, const T& hi) {
  const RadiusRange<T> r = radius_range(m, lo, hi);
  const auto m50 = to50(m);
  F50 smax = -1;
  const int K = 100;
  for (int k = 0; k <= K; ++k) {
    const T lambda = k == K ? hi : T(lo + (hi - lo) * T(k) / K);
    const F50 rho = spectral_radius(m50, F50(lambda));
    if (rho > smax) smax = rho;
    INFO(Method::name << " lambda " << test::str(lambda) << " rho " << test::str(rho, 25)
                      << " range [" << test::str(r.lo) << ", " << test::str(r.hi) << "]");
    // The 50-digit reference itself snaps near a double root by ~1e-24.
    CHECK(F50(r.lo) <= rho + F50(1e-24));
    CHECK(rho <= F50(r.hi) + F50(1e-24));
  }
  INFO(Method::name << " sup " << test::str(r.hi) << " sampled max " << test::str(smax, 25));
  CHECK(F50(r.hi) - smax <= F50(1e-6));
}

}  // namespace

TEST_CASE("extreme_eigenvalues: log-spaced spectrum in [1, 1e4], random basis, n = 250 and 500") {
  for (Eigen::Index n : {250, 500}) {
    INFO("n = " << n);
    const Matrix<double> Q = rotated(log_spaced(n), 12345);
    const ExtremeEigenvalues<double> ex = extreme_eigenvalues(Q);
    const Vector<long double> ref = reference_eigenvalues(Q);
    CHECK(ex.n == n);
    CHECK(ex.certified());
    CHECK(ex.smallest.solver == ExtremeSolver::shift_invert);
    CHECK(ex.largest.solver == ExtremeSolver::lanczos);
    CHECK(ex.smallest.operations > 0);
    CHECK(ex.smallest.factorizations == 2);  // shift-invert operator + certificate
    CHECK(ex.largest.factorizations == 1);   // certificate
    // The proofs hold for the eigenvalues of the matrix as stored.
    CHECK(contains(ex.smallest.enclosure, F50(ref(0))));
    CHECK(contains(ex.largest.enclosure, F50(ref(n - 1))));
    // ... which are the constructed 1 and 1e4 up to the rounding of O diag(l) O^T.
    CHECK(std::abs(static_cast<double>(ref(0)) - 1) < 1e-9);
    CHECK(std::abs(static_cast<double>(ref(n - 1)) - 1e4) < 1e-8);
    CHECK(std::abs(ex.smallest.value - 1) < 1e-10);
    CHECK(std::abs(ex.largest.value - 1e4) < 1e-12 * 1e4);
    // Tight: the factorization margin ~ gamma_n trace(Q) dominates the lower end.
    CHECK(ex.smallest.enclosure.width() < 1e-6);
    CHECK(ex.largest.enclosure.width() < 1e-9 * 1e4);
    CHECK(std::abs(ex.smallest.vector.norm() - 1) < 1e-12);
  }
}

TEST_CASE("extreme_eigenvalues: sparse Laplacians contain the closed-form eigenvalues") {
  SUBCASE("1-D, N = 1500: both ends clustered (gaps ~ pi^2/N^2)") {
    const int N = 1500;
    const ExtremeEigenvalues<double> ex = extreme_eigenvalues(laplacian_1d<double>(N));
    const F50 lo = sin2(1, N), hi = sin2(N, N);
    CHECK(ex.certified());
    CHECK(ex.smallest.solver == ExtremeSolver::shift_invert);
    CHECK(ex.largest.solver == ExtremeSolver::shift_invert);
    CHECK(contains(ex.smallest.enclosure, lo));
    CHECK(contains(ex.largest.enclosure, hi));
    CHECK(abs(F50(ex.smallest.value) - lo) / lo < F50(1e-10));
    CHECK(abs(F50(ex.largest.value) - hi) / hi < F50(1e-10));
  }
  SUBCASE("2-D, N = 60 (n = 3600)") {
    const int N = 60;
    const ExtremeEigenvalues<double> ex = extreme_eigenvalues(laplacian_2d(N));
    const F50 lo = 2 * sin2(1, N), hi = 2 * sin2(N, N);
    CHECK(ex.certified());
    CHECK(contains(ex.smallest.enclosure, lo));
    CHECK(contains(ex.largest.enclosure, hi));
    CHECK(abs(F50(ex.smallest.value) - lo) / lo < F50(1e-10));
    CHECK(abs(F50(ex.largest.value) - hi) / hi < F50(1e-10));
    // Forcing plain Lanczos at the top still gives the same (certified) answer.
    ExtremesOptions o;
    o.largest = LargestBy::lanczos;
    const ExtremeEigenvalues<double> ex2 = extreme_eigenvalues(laplacian_2d(N), o);
    CHECK(contains(ex2.largest.enclosure, hi));
    CHECK(abs(F50(ex2.largest.value) - hi) / hi < F50(1e-10));
  }
  SUBCASE("without certification the far sides are Gershgorin's, still proofs") {
    const int N = 300;
    ExtremesOptions o;
    o.certify = false;
    const ExtremeEigenvalues<double> ex = extreme_eigenvalues(laplacian_1d<double>(N), o);
    CHECK_FALSE(ex.smallest.enclosure.certified);
    CHECK(contains(ex.smallest.enclosure, sin2(1, N)));
    CHECK(contains(ex.largest.enclosure, sin2(N, N)));
  }
}

TEST_CASE("extremes path equals the dense symmetric path on random SPD matrices") {
  std::mt19937_64 g(7);
  INFO("seed 7");
  SUBCASE("dense, n = 300, clustered bottom") {
    Vector<double> l = log_spaced(300);
    l(1) = 1 + 1e-7;  // a near-double smallest eigenvalue
    const Matrix<double> Q = rotated(l, 99);
    ExtremesOptions dense, iterative;
    dense.dense_threshold = 1000;
    iterative.dense_threshold = 10;
    const ExtremeEigenvalues<double> a = extreme_eigenvalues(Q, dense);
    const ExtremeEigenvalues<double> b = extreme_eigenvalues(Q, iterative);
    CHECK(a.smallest.solver == ExtremeSolver::dense);
    CHECK(b.smallest.solver == ExtremeSolver::shift_invert);
    CHECK(std::abs(a.smallest.value - b.smallest.value) < 1e-10);
    CHECK(std::abs(a.largest.value - b.largest.value) < 1e-12 * 1e4);
    CHECK(a.certified());
    CHECK(b.certified());
  }
  SUBCASE("sparse, n = 1000, random pattern") {
    const int n = 1000;
    std::vector<Eigen::Triplet<double>> t;
    std::uniform_int_distribution<int> idx(0, n - 1);
    std::uniform_real_distribution<double> val(-1, 1);
    for (int k = 0; k < 6 * n; ++k) {
      const int i = idx(g), j = idx(g);
      const double v = val(g);
      t.emplace_back(i, j, v);
      t.emplace_back(j, i, v);
    }
    Eigen::SparseMatrix<double> A(n, n);
    A.setFromTriplets(t.begin(), t.end());
    Eigen::SparseMatrix<double> I(n, n);
    I.setIdentity();
    const ExtremesOptions none;
    // Shift so that Q is positive definite with lambda_min about 1e-3.
    const Matrix<double> Ad(A);
    Eigen::SelfAdjointEigenSolver<Matrix<double>> esA(Ad, Eigen::EigenvaluesOnly);
    const double shift = 1e-3 - esA.eigenvalues()(0);
    const Eigen::SparseMatrix<double> Q = A + shift * I;
    const Vector<long double> ref = reference_eigenvalues(Matrix<double>(Q));
    const ExtremeEigenvalues<double> ex = extreme_eigenvalues(Q, none);
    CHECK(ex.certified());
    CHECK(contains(ex.smallest.enclosure, F50(ref(0))));
    CHECK(contains(ex.largest.enclosure, F50(ref(n - 1))));
    CHECK(std::abs(ex.smallest.value - static_cast<double>(ref(0))) < 1e-10 * ref(n - 1));
    CHECK(std::abs(ex.largest.value - static_cast<double>(ref(n - 1))) < 1e-12 * ref(n - 1));
  }
}

TEST_CASE("the certificate can fail: wrong Ritz values are not certified") {
  const int N = 200;
  const Eigen::SparseMatrix<double> Q = laplacian_1d<double>(N);
  const double lmin = static_cast<double>(sin2(1, N)), lmax = static_cast<double>(sin2(N, N));
  detail::SparseOperator<double> op(Q);
  // Sylvester: sigma I - Q is indefinite for sigma below lambda_max, Q - sigma I for sigma above
  // lambda_min; Cholesky must break down.
  CHECK_FALSE(op.factor(-1, lmax - 1e-6).ok);
  CHECK_FALSE(op.factor(+1, lmin + 1e-6).ok);
  const detail::FactorResult<double> f = op.factor(-1, lmax + 1e-6);
  CHECK(f.ok);
  CHECK(f.margin < 1e-12);

  ExtremesOptions o;
  o.certify_attempts = 3;
  SUBCASE("a Ritz value 1e-3 below lambda_max (an interior eigenvalue)") {
    const double theta = lmax - 1e-3;
    const detail::RayleighBounds<double> rq{theta, theta, theta, 1e-12};
    ExtremeEigenpair<double> e;
    e.enclosure = {theta, 4.5, false};
    detail::certify_upper(op, rq, 1e-14, e, o);
    CHECK_FALSE(e.enclosure.certified);
    CHECK(e.factorizations == 3);
    CHECK(e.enclosure.hi >= lmax);
  }
  SUBCASE("a Ritz value 1e-4 above lambda_min") {
    const double theta = lmin + 1e-4;
    const detail::RayleighBounds<double> rq{theta, theta, theta, 1e-12};
    ExtremeEigenpair<double> e;
    e.enclosure = {-0.5, theta, false};
    detail::certify_lower(op, rq, 1e-14, e, o);
    CHECK_FALSE(e.enclosure.certified);
    CHECK(e.enclosure.lo <= lmin);
  }
  SUBCASE("slightly wrong: the growing shift passes lambda_max, and the bound stays a bound") {
    const double theta = lmax - 1e-11;
    const detail::RayleighBounds<double> rq{theta, theta, theta, 1e-13};
    ExtremeEigenpair<double> e;
    e.enclosure = {theta, 4.5, false};
    o.certify_attempts = 10;
    detail::certify_upper(op, rq, 1e-14, e, o);
    CHECK(e.enclosure.certified);
    CHECK(e.factorizations > 1);
    CHECK(e.enclosure.hi >= lmax);
  }
  SUBCASE("dense operator, the same") {
    const Matrix<double> Qd(Q);
    detail::DenseOperator<double> dop(Qd);
    CHECK_FALSE(dop.factor(-1, lmax - 1e-6).ok);
    CHECK_FALSE(dop.factor(+1, lmin + 1e-6).ok);
    CHECK(dop.factor(+1, lmin - 1e-6).ok);
  }
}

TEST_CASE_TEMPLATE("radius_range contains rho sampled over the interval", T, double) {
  using std::abs;
  std::mt19937_64 g(2024);
  INFO("seed 2024");
  std::uniform_real_distribution<double> u01(0, 1);
  for (int k = 0; k < 60; ++k) {
    const double lo = std::exp(std::uniform_real_distribution<double>(-3, 3)(g));
    const double hi = lo * (1 + std::pow(10.0, std::uniform_real_distribution<double>(-12, 0.5)(g)));
    const T step = test::uniform<T>(g, -0.3 / hi, 4.5 / hi);
    const T beta = test::uniform<T>(g, -1.2, 1.2);
    check_range_by_sampling(GradientDescent<T>(step), T(lo), T(hi));
    check_range_by_sampling(HeavyBall<T>(step, beta), T(lo), T(hi));
    check_range_by_sampling(Velocity<T>(step, beta), T(lo), T(hi));
    check_range_by_sampling(Nesterov<T>(step, beta), T(lo), T(hi));
  }
  // Intervals across and next to the special points: heavy-ball double roots
  // s = (1 -+ sqrt beta)^2, tau = 0, Nesterov's q = 0 and its double root.
  for (int k = 0; k < 12; ++k) {
    const T alpha = test::uniform<T>(g, 0.1, 2);
    const T beta = test::uniform<T>(g, 0, 0.99);
    using std::sqrt;
    const T sb = sqrt(beta);
    const T nest_crit = (1 - 4 * beta / ((1 + beta) * (1 + beta))) / alpha;
    for (const T c : {T((1 - sb) * (1 - sb) / alpha), T((1 + sb) * (1 + sb) / alpha),
                      T((1 + beta) / alpha), T(1 / alpha), nest_crit}) {
      if (!(c > 0)) continue;
      for (const double w : {0.0, 1e-14, 1e-9, 1e-3}) {
        const T d = T(w) * c;
        for (const auto& [lo, hi] : {std::pair<T, T>{T(c - d), T(c + d)}, std::pair<T, T>{c, T(c + d)},
                                     std::pair<T, T>{T(c - d), c}}) {
          check_range_by_sampling(HeavyBall<T>(alpha, beta), lo, hi);
          check_range_by_sampling(Nesterov<T>(alpha, beta), lo, hi);
          check_range_by_sampling(GradientDescent<T>(alpha), lo, hi);
        }
      }
    }
  }
}

TEST_CASE("point bounds of rho within ulps of the double roots (no s-interval widening)") {
  // At s a few ulps from (1 -+ sqrt beta)^2 the computed discriminant has the wrong sign as
  // often as not; only its error bound keeps sqrt(D)/2 ~ 1e-8 inside the upper bound.
  std::mt19937_64 g(5);
  INFO("seed 5");
  int checked = 0;
  for (int k = 0; k < 300; ++k) {
    const double beta = test::uniform<double>(g, 0.01, 0.999);
    const double sb = std::sqrt(beta);
    for (const double c : {(1 - sb) * (1 - sb), (1 + sb) * (1 + sb)}) {
      double s = c;
      for (int j = 0; j < 8; ++j) s = std::nextafter(s, 0.0);
      for (int j = 0; j < 16; ++j, s = std::nextafter(s, 10.0)) {
        const detail::PointRadius<double> hb = detail::radius_at(HeavyBall<double>(1.0, beta), s);
        const F50 rho = spectral_radius(HeavyBall<F50>(F50(1), F50(beta)), F50(s));
        INFO("beta " << test::str(beta) << " s " << test::str(s) << " rho " << test::str(rho, 30)
                     << " [" << test::str(hb.lo) << ", " << test::str(hb.hi) << "]");
        CHECK(F50(hb.lo) <= rho + F50(1e-24));
        CHECK(rho <= F50(hb.hi) + F50(1e-24));
        ++checked;
      }
    }
    // Nesterov's double root q = 4 beta / (1 + beta)^2, and q = 0.
    for (const double c : {1 - 4 * beta / ((1 + beta) * (1 + beta)), 1.0}) {
      double s = c;
      for (int j = 0; j < 8; ++j) s = std::nextafter(s, 0.0);
      for (int j = 0; j < 16; ++j, s = std::nextafter(s, 10.0)) {
        const detail::PointRadius<double> nv = detail::radius_at(Nesterov<double>(1.0, beta), s);
        const F50 rho = spectral_radius(Nesterov<F50>(F50(1), F50(beta)), F50(s));
        INFO("nesterov beta " << test::str(beta) << " s " << test::str(s));
        CHECK(F50(nv.lo) <= rho + F50(1e-24));
        CHECK(rho <= F50(nv.hi) + F50(1e-24));
      }
    }
  }
  CHECK(checked == 300 * 2 * 16);
}

TEST_CASE("radius_range: exact cases and bad input") {
  // Inside the heavy-ball complex region rho = sqrt(beta) exactly: a tight range.
  const HeavyBall<double> hb(1e-4, 0.81);
  const RadiusRange<double> in = radius_range(hb, 5000.0, 20000.0);
  CHECK(std::abs(in.lo - 0.9) < 1e-15);
  CHECK(std::abs(in.hi - 0.9) < 1e-15);
  // Far from critical a point interval is a few ulps wide.
  const RadiusRange<double> pt = radius_range(hb, 1.0, 1.0);
  CHECK(pt.hi - pt.lo < 1e-14);
  // Gradient descent through eta*lambda = 1: the infimum is 0.
  CHECK(radius_range(GradientDescent<double>(0.5), 1.0, 3.0).lo == 0);
  check_invalid([] { radius_range(GradientDescent<double>(0.5), 2.0, 1.0); },
                {"radius_range", "lambda_lo must not exceed lambda_hi"});
  check_invalid([] { radius_range(GradientDescent<double>(0.5), 1.0, std::nan("")); },
                {"radius_range", "finite"});
}

TEST_CASE("certified_worst_case contains the exact rate: 2-D Laplacian, random methods") {
  const int N = 40;
  const ExtremeEigenvalues<double> ex = extreme_eigenvalues(laplacian_2d(N));
  REQUIRE(ex.certified());
  const F50 lmin = 2 * sin2(1, N), lmax = 2 * sin2(N, N);
  std::mt19937_64 g(31);
  INFO("seed 31");
  auto check = [&](const auto& m) {
    const RateEnclosure<double> r = certified_worst_case(m, ex);
    const F50 exact = worst_case(to50(m), lmin, lmax).rho;
    INFO(std::decay_t<decltype(m)>::name << " exact " << test::str(exact, 25) << " in ["
                                         << test::str(r.rho_lo) << ", " << test::str(r.rho_hi)
                                         << "], estimate " << test::str(r.rho));
    CHECK(F50(r.rho_lo) <= exact + F50(1e-24));
    CHECK(exact <= F50(r.rho_hi) + F50(1e-24));
    CHECK(r.certified);
    CHECK(r.rho_lo <= r.rho_hi);
    CHECK(abs(F50(r.rho) - exact) <= F50(1e-6));
  };
  for (int k = 0; k < 200; ++k) {
    const double step = test::uniform<double>(g, -0.01, 0.6);
    const double beta = test::uniform<double>(g, -1.1, 1.1);
    check(GradientDescent<double>(step));
    check(HeavyBall<double>(step, beta));
    check(Velocity<double>(step, beta));
    check(Nesterov<double>(step, beta));
  }
  // Tunings from the estimated extremes: both ends critical for the heavy ball.
  const double mu = ex.smallest.value, L = ex.largest.value;
  check(optimal_heavy_ball(mu, L).method);
  check(optimal_velocity(mu, L).method);
  check(optimal_nesterov(mu, L).method);
  check(standard_nesterov(mu, L).method);
  check(optimal_gd(mu, L).method);
  // The tuned heavy ball's interval is wide by the square root of the enclosure widths.
  const RateEnclosure<double> hb = certified_worst_case(optimal_heavy_ball(mu, L).method, ex);
  CHECK(hb.rho_hi - hb.rho_lo > 1e-6);
  CHECK(hb.converges_proven());
}

TEST_CASE("certified_worst_case(method, Q): lambda_max only when it can decide the rate") {
  const int N = 40;
  const Eigen::SparseMatrix<double> Q = laplacian_2d(N);
  const ExtremeEigenvalues<double> full = extreme_eigenvalues(Q);
  REQUIRE(full.certified());
  const F50 lmin = 2 * sin2(1, N), lmax = 2 * sin2(N, N);
  // Heavy ball alpha = 0.1, beta = 0.5: lambda_max <= 8 (Gershgorin) lies in the complex region
  // [0.86, 29.1], where rho = sqrt(beta) < rho(lambda_min): the largest end is left as bounds,
  // [max q_ii, Gershgorin] = [4, 8], with no factorization.
  const HeavyBall<double> hb(0.1, 0.5);
  CHECK_FALSE(largest_can_decide(hb, full.smallest.enclosure, EigenEnclosure<double>{4, 8, false}));
  CHECK(largest_can_decide(hb, full.smallest.enclosure, EigenEnclosure<double>{4, 40, false}));
  ExtremeEigenvalues<double> ex;
  const RateEnclosure<double> r = certified_worst_case(hb, Q, ex);
  CHECK(ex.largest.solver == ExtremeSolver::bounds);
  CHECK(ex.largest.factorizations == 0);
  CHECK_FALSE(ex.largest.converged);
  CHECK(ex.largest.enclosure.lo == 4);
  CHECK(ex.largest.value == 4);
  CHECK(contains(ex.largest.enclosure, lmax));
  CHECK(ex.largest.enclosure.hi <= 8 * (1 + 1e-14));  // Gershgorin, rounded outward
  CHECK(r.certified);  // the smallest end is certified and the largest cannot decide
  CHECK_FALSE(ex.certified());
  const RateEnclosure<double> rf = certified_worst_case(hb, full);
  CHECK(r.rho_lo == rf.rho_lo);
  CHECK(r.rho_hi == rf.rho_hi);
  CHECK(r.rho == rf.rho);
  const F50 exact = worst_case(to50(hb), lmin, lmax).rho;
  CHECK(F50(r.rho_lo) <= exact);
  CHECK(exact <= F50(r.rho_hi));
  // The same interval as with both ends computed, for every method, whether the largest end
  // was computed or not; always computed for a tuning (both ends critical).
  std::mt19937_64 g(41);
  INFO("seed 41");
  int skipped = 0, computed = 0;
  auto check = [&](const auto& m) {
    ExtremeEigenvalues<double> e;
    const RateEnclosure<double> a = certified_worst_case(m, Q, e);
    const RateEnclosure<double> b = certified_worst_case(m, full);
    const F50 rate = worst_case(to50(m), lmin, lmax).rho;
    INFO(std::decay_t<decltype(m)>::name << " [" << test::str(a.rho_lo) << ", "
                                         << test::str(a.rho_hi) << "] exact " << test::str(rate, 25));
    CHECK(F50(a.rho_lo) <= rate + F50(1e-24));
    CHECK(rate <= F50(a.rho_hi) + F50(1e-24));
    CHECK(a.certified == b.certified);
    CHECK(a.rho_lo == b.rho_lo);
    CHECK(a.rho_hi == b.rho_hi);
    if (e.largest.solver == ExtremeSolver::bounds) {
      ++skipped;
      CHECK_FALSE(largest_can_decide(m, e.smallest.enclosure, e.largest.enclosure));
    } else {
      ++computed;
      CHECK(e.largest.enclosure.lo == full.largest.enclosure.lo);
      CHECK(e.largest.enclosure.hi == full.largest.enclosure.hi);
    }
  };
  for (int k = 0; k < 40; ++k) {
    const double step = test::uniform<double>(g, 0.01, 0.6);
    const double beta = test::uniform<double>(g, -0.9, 0.95);
    check(GradientDescent<double>(step));
    check(HeavyBall<double>(step, beta));
    check(Nesterov<double>(step, beta));
  }
  CHECK(skipped > 0);
  CHECK(computed > 0);
  const int before = computed;
  check(optimal_heavy_ball(full.smallest.value, full.largest.value).method);
  CHECK(computed == before + 1);
}

TEST_CASE("tuned heavy ball: the rate interval widens like sqrt(delta), and says so") {
  const double mu = 1, L = 1e4;
  const HeavyBall<double> m = optimal_heavy_ball(mu, L).method;
  const F50 exact = worst_case(to50(m), F50(mu), F50(L)).rho;
  std::vector<double> widths;
  const std::vector<double> deltas = {1e-4, 1e-6, 1e-8, 1e-10, 1e-12};
  for (const double d : deltas) {
    const EigenEnclosure<double> emin{mu - d * mu, mu + d * mu, true};
    const EigenEnclosure<double> emax{L - d * L, L + d * L, true};
    const RateEnclosure<double> r = certified_worst_case(m, emin, emax, mu, L);
    INFO("delta " << d << " [" << test::str(r.rho_lo) << ", " << test::str(r.rho_hi) << "]");
    CHECK(F50(r.rho_lo) <= exact);
    CHECK(exact <= F50(r.rho_hi));
    widths.push_back(r.rho_hi - r.rho_lo);
    // Honest: at least half of sqrt(alpha mu delta (4 sqrt beta)) / 2, the radius at mu - delta.
    CHECK(r.rho_hi - r.rho_lo > 0.25 * std::sqrt(m.alpha * mu * d * 4 * std::sqrt(m.beta)));
  }
  for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
    const double ratio = widths[i] / widths[i + 1];  // delta ratio 100: sqrt gives 10
    INFO("widths " << widths[i] << " / " << widths[i + 1]);
    CHECK(ratio > 5);
    CHECK(ratio < 20);
  }
  // A generic (not tuned) heavy ball moves linearly: delta ratio 100 gives width ratio ~100.
  const HeavyBall<double> generic(1e-4, 0.9);
  const double w1 = [&] {
    const auto r = certified_worst_case(generic, EigenEnclosure<double>{1 - 1e-6, 1 + 1e-6, true},
                                        EigenEnclosure<double>{L, L, true}, mu, L);
    return r.rho_hi - r.rho_lo;
  }();
  const double w2 = [&] {
    const auto r = certified_worst_case(generic, EigenEnclosure<double>{1 - 1e-8, 1 + 1e-8, true},
                                        EigenEnclosure<double>{L, L, true}, mu, L);
    return r.rho_hi - r.rho_lo;
  }();
  CHECK(w1 / w2 > 50);
}

TEST_CASE("certified_worst_case on the dense baseline problem") {
  const Matrix<double> Q = rotated(log_spaced(250), 12345);
  const ExtremeEigenvalues<double> ex = extreme_eigenvalues(Q);
  const Vector<long double> ref = reference_eigenvalues(Q);
  const HeavyBall<double> m(1e-4, 0.9);
  const RateEnclosure<double> r = certified_worst_case(m, ex);
  const F50 exact = worst_case(to50(m), F50(ref(0)), F50(ref(249))).rho;
  CHECK(F50(r.rho_lo) <= exact);
  CHECK(exact <= F50(r.rho_hi));
  CHECK(r.rho_hi - r.rho_lo < 1e-9);
  // Equal to the dense symmetric result within 1e-12 relative.
  const double dense = worst_case(m, Vector<double>(reference_eigenvalues(Q).cast<double>())).rho;
  CHECK(std::abs(r.rho - dense) <= 1e-12 * dense);
  CHECK(r.estimate.worst_eigenvalues.size() == 1);
  CHECK(r.converges_proven());
  CHECK_FALSE(r.diverges_proven());
  // The dense Lanczos path computes lambda_max only if it can decide the rate: same interval.
  ExtremeEigenvalues<double> e;
  const RateEnclosure<double> d = certified_worst_case(m, Q, e);
  CHECK(d.rho_lo == r.rho_lo);
  CHECK(d.rho_hi == r.rho_hi);
}

TEST_CASE("dense double path: a largest end that cannot decide the rate, proven by one factorization") {
  // n = 600: Gershgorin's bound (about 4.6e4) is above the largest lambda_max that cannot decide
  // heavy ball's rate (about 3.8e4), so the path factorizes tau I - Q once (in single precision).
  const Matrix<double> Q = rotated(log_spaced(600), 777);
  const HeavyBall<double> m(1e-4, 0.9);
  ExtremeEigenvalues<double> e;
  const RateEnclosure<double> d = certified_worst_case(m, Q, e);
  Eigen::SelfAdjointEigenSolver<Matrix<double>> es(Q, Eigen::EigenvaluesOnly);
  const double lmax = es.eigenvalues()(599);
  CHECK(e.largest.solver == ExtremeSolver::bounds);
  CHECK(e.largest.factorizations == 1);
  CHECK(e.largest.enclosure.contains(lmax));
  CHECK_FALSE(largest_can_decide(m, e.smallest.enclosure, e.largest.enclosure));
  CHECK(d.certified);
  const double dense = worst_case(m, Vector<double>(es.eigenvalues())).rho;
  CHECK(d.rho_lo <= dense);
  CHECK(dense <= d.rho_hi);
  CHECK(std::abs(d.rho - dense) <= 1e-12 * dense);
  // Heavy ball tuned to the ends: the largest end decides, and is computed and certified.
  const auto tuned = optimal_heavy_ball(e.smallest.value, lmax).method;
  ExtremeEigenvalues<double> t;
  const RateEnclosure<double> rt = certified_worst_case(tuned, Q, t);
  CHECK(t.largest.solver != ExtremeSolver::bounds);
  CHECK(t.largest.enclosure.certified);
  CHECK(t.largest.enclosure.contains(lmax));
  CHECK(rt.certified);
}

TEST_CASE("extreme_eigenvalues: bad input and matrices that are not positive definite") {
  Matrix<double> rect(3, 4);
  rect.setOnes();
  check_invalid([&] { extreme_eigenvalues(rect); }, {"extreme_eigenvalues", "square"});
  Matrix<double> nan = Matrix<double>::Identity(4, 4);
  nan(2, 1) = std::nan("");
  check_invalid([&] { extreme_eigenvalues(nan); }, {"extreme_eigenvalues", "finite", "(3,2)"});
  Matrix<double> asym = Matrix<double>::Identity(4, 4);
  asym(0, 3) = 0.5;
  check_invalid([&] { extreme_eigenvalues(asym); }, {"extreme_eigenvalues", "symmetric"});
  check_invalid([&] { extreme_eigenvalues(Eigen::SparseMatrix<double>(asym.sparseView())); },
                {"extreme_eigenvalues", "symmetric"});
  check_invalid([&] { extreme_eigenvalues(Eigen::SparseMatrix<double>(3, 2)); },
                {"extreme_eigenvalues", "square"});
  check_invalid([&] { extreme_eigenvalues(Eigen::SparseMatrix<double>(nan.sparseView())); },
                {"extreme_eigenvalues", "finite"});
  // Symmetric to rounding is accepted (and symmetrized).
  Matrix<double> near = rotated(log_spaced(20), 3);
  near(0, 1) *= 1 + 1e-16;
  CHECK_NOTHROW(extreme_eigenvalues(near));

  SUBCASE("indefinite, dense solver path") {
    Vector<double> l = log_spaced(50);
    l(0) = -1;
    check_invalid([&] { extreme_eigenvalues(rotated(l, 5)); },
                  {"extreme_eigenvalues", "positive definite"});
  }
  SUBCASE("indefinite, Lanczos path: the Cholesky factorization of Q breaks down") {
    Vector<double> l = log_spaced(300);
    l(0) = -1;
    check_invalid([&] { extreme_eigenvalues(rotated(l, 5)); },
                  {"extreme_eigenvalues", "positive definite", "Cholesky"});
  }
  SUBCASE("indefinite sparse") {
    Eigen::SparseMatrix<double> I(500, 500);
    I.setIdentity();
    const Eigen::SparseMatrix<double> Q = laplacian_1d<double>(500) - 0.01 * I;
    check_invalid([&] { extreme_eigenvalues(Q); }, {"extreme_eigenvalues", "positive definite"});
  }
  SUBCASE("semidefinite: the Neumann Laplacian (constant vector in the kernel)") {
    Eigen::SparseMatrix<double> Q = laplacian_1d<double>(400);
    Q.coeffRef(0, 0) = 1;
    Q.coeffRef(399, 399) = 1;
    check_invalid([&] { extreme_eigenvalues(Q); }, {"extreme_eigenvalues", "positive definite"});
    Vector<double> l = log_spaced(50);
    l(0) = 0;
    check_invalid([&] { extreme_eigenvalues(rotated(l, 5)); },
                  {"extreme_eigenvalues", "positive definite", "semidefinite"});
  }
}

TEST_CASE_TEMPLATE("extreme_eigenvalues and the rate interval in every scalar type", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  // H diag(l) H with an exact-in-T Householder reflector H = I - 2 v v^T / v^T v.
  const int n = 12;
  Vector<T> l(n), v(n);
  for (int i = 0; i < n; ++i) {
    l(i) = T(i + 1) * T(i + 1) / 4;
    v(i) = T(i % 3 + 1) / 3;
  }
  // Built with loops: Eigen's matrix-product kernels for multiprecision scalars would cost more
  // compile time than everything else in this test.
  const T c = 2 / v.squaredNorm();
  Matrix<T> H(n, n), Q(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) H(i, j) = (i == j ? T(1) : T(0)) - c * v(i) * v(j);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j <= i; ++j) {
      T q(0);
      for (int k = 0; k < n; ++k) q += H(i, k) * l(k) * H(j, k);
      Q(i, j) = q;
      Q(j, i) = q;
    }
  const ExtremeEigenvalues<T> ex = extreme_eigenvalues(Q);
  // H is orthogonal to rounding: the eigenvalues are l up to c n eps ||l||.
  const T tol = T(64 * n) * epsilon<T>() * l(n - 1);
  CHECK(ex.certified());
  CHECK(ex.smallest.solver == ExtremeSolver::dense);
  CHECK(ex.smallest.enclosure.lo <= l(0) + tol);
  CHECK(l(0) - tol <= ex.smallest.enclosure.hi);
  CHECK(ex.largest.enclosure.lo <= l(n - 1) + tol);
  CHECK(l(n - 1) - tol <= ex.largest.enclosure.hi);
  CHECK(abs(ex.smallest.value - l(0)) <= tol);
  CHECK(abs(ex.largest.value - l(n - 1)) <= tol);
  // The enclosures are as tight as the type: tens of ulps of ||Q||.
  CHECK(ex.largest.enclosure.width() <= T(1000000) * epsilon<T>() * l(n - 1));

  const Eigen::SparseMatrix<T> S = Q.sparseView();
  const ExtremeEigenvalues<T> es = extreme_eigenvalues(S);
  CHECK(abs(es.smallest.value - ex.smallest.value) <= tol);

  const auto t = optimal_heavy_ball(ex.smallest.value, ex.largest.value);
  const RateEnclosure<T> r = certified_worst_case(t.method, ex);
  CHECK(r.rho_lo <= t.rate + tol);
  CHECK(t.rate - tol <= r.rho_hi);
  const RadiusRange<T> g = radius_range(GradientDescent<T>(T(1) / 10), T(1), T(2));
  CHECK(abs(g.hi - T(9) / 10) <= test::ulps<T>(8));
  CHECK(abs(g.lo - T(8) / 10) <= test::ulps<T>(8));
  (void)radius_range(Velocity<T>(T(1) / 10, T(1) / 2), T(1), T(2));
  (void)radius_range(Nesterov<T>(T(1) / 10, T(1) / 2), T(1), T(2));

  if constexpr (detail::spectra_scalar<T>) {
    // The Lanczos / sparse Cholesky path in this type.
    const int N = 400;
    ExtremesOptions o;
    o.dense_threshold = 50;
    const ExtremeEigenvalues<T> lap = extreme_eigenvalues(laplacian_1d<T>(N), o);
    CHECK(lap.certified());
    CHECK(contains(lap.smallest.enclosure, sin2(1, N)));
    CHECK(contains(lap.largest.enclosure, sin2(N, N)));
    // GD with eta = 1/10: rho <= 0.8 on lambda_max's bounds [2, 4] (Gershgorin), ~1 at
    // lambda_min: the largest end is not computed, and the interval is the one from both ends.
    const GradientDescent<T> gd(T(1) / 10);
    ExtremeEigenvalues<T> e;
    const RateEnclosure<T> a = certified_worst_case(gd, laplacian_1d<T>(N), e, o);
    CHECK(e.largest.solver == ExtremeSolver::bounds);
    CHECK(contains(e.largest.enclosure, sin2(N, N)));
    const RateEnclosure<T> b = certified_worst_case(gd, lap);
    CHECK(a.rho_lo == b.rho_lo);
    CHECK(a.rho_hi == b.rho_hi);
    CHECK(a.certified);
  }
  // The dense solver (small n) finds both ends anyway, whatever the method.
  ExtremeEigenvalues<T> e;
  const RateEnclosure<T> d = certified_worst_case(GradientDescent<T>(T(1) / 1000), Q, e);
  CHECK(e.largest.solver == ExtremeSolver::dense);
  CHECK(d.rho_lo == certified_worst_case(GradientDescent<T>(T(1) / 1000), ex).rho_lo);
}

// The two-state family, PyTorch's SGD and QHM (SPEC sections 5, 11).
TEST_CASE_TEMPLATE("radius_range for TwoState, PyTorch and QHM contains rho sampled over the interval",
                   T, double) {
  std::mt19937_64 g(2026);
  INFO("seed 2026");
  for (int k = 0; k < 60; ++k) {
    const double lo = std::exp(std::uniform_real_distribution<double>(-3, 3)(g));
    const double hi = lo * (1 + std::pow(10.0, std::uniform_real_distribution<double>(-12, 0.5)(g)));
    const T step = test::uniform<T>(g, -0.3 / hi, 4.5 / hi);
    const T beta = test::uniform<T>(g, -1.2, 1.2);
    const T gamma = test::uniform<T>(g, -1, 2);
    check_range_by_sampling(TwoState<T>(step, beta, gamma), T(lo), T(hi));
    check_range_by_sampling(TwoState<T>(step, beta, T(0)), T(lo), T(hi));
    check_range_by_sampling(TwoState<T>(step, beta, beta), T(lo), T(hi));
    check_range_by_sampling(PyTorchSGD<T>(step, beta, T(1) / 5, T(1) / 10, k % 2 == 0), T(lo), T(hi));
    check_range_by_sampling(QHM<T>(step, T(7) / 10, beta), T(lo), T(hi));
  }
  // Next to the family's double roots (a root of D(lambda)) and its vertex.
  for (int k = 0; k < 12; ++k) {
    const T alpha = test::uniform<T>(g, 0.1, 2);
    const T beta = test::uniform<T>(g, 0, 0.99);
    const T gamma = test::uniform<T>(g, 0, 1);
    const TwoState<T> m(alpha, beta, gamma);
    const T a = m.alpha_total(), c = m.alpha_gamma;
    const T mid = (a * (1 + beta) - 2 * c) / (a * a);
    const T P = alpha * (a * beta - c);
    using std::sqrt;
    std::vector<T> centres{mid};
    if (P >= 0) {
      centres.push_back(T(mid + 2 * sqrt(P) / (a * a)));
      centres.push_back(T(mid - 2 * sqrt(P) / (a * a)));
    }
    for (const T& ctr : centres) {
      if (!(ctr > 0)) continue;
      for (const double w : {0.0, 1e-14, 1e-9, 1e-3}) {
        const T d = T(w) * ctr;
        check_range_by_sampling(m, T(ctr - d), T(ctr + d));
        check_range_by_sampling(m, ctr, T(ctr + d));
      }
    }
  }
}

TEST_CASE("certified_worst_case for TwoState: heavy ball's enclosure at gamma = 0, contains the rate") {
  const Matrix<double> Q = rotated(log_spaced(60), 99);
  const ExtremeEigenvalues<double> ex = extreme_eigenvalues(Q);
  const auto hb = optimal_heavy_ball(ex.smallest.value, ex.largest.value).method;
  const RateEnclosure<double> f = certified_worst_case(TwoState<double>(hb.alpha, hb.beta, 0.0), ex);
  const RateEnclosure<double> h = certified_worst_case(hb, ex);
  CHECK(std::abs(f.rho - h.rho) <= 1e-7);  // both at critically damped ends: sqrt(eps)
  CHECK(f.rho_lo <= f.rho);
  CHECK(f.rho <= f.rho_hi);
  // Near the tuned double roots the family's unfactored discriminant is looser than heavy
  // ball's, but both contain the same rate.
  CHECK(f.rho_lo <= h.rho_hi);
  CHECK(h.rho_lo <= f.rho_hi);
  const TwoState<double> m(1.0 / ex.largest.value, 0.5, 0.25);
  const RateEnclosure<double> r = certified_worst_case(m, ex);
  CHECK(r.rho_lo <= r.rho);
  CHECK(r.rho <= r.rho_hi);
  CHECK(r.certified);
  const PyTorchSGD<double> sgd(1.0 / ex.largest.value, 0.8, 0.1, 1e-3, true);
  const RateEnclosure<double> s = certified_worst_case(sgd, ex);
  CHECK(s.rho_lo <= s.rho);
  CHECK(s.rho <= s.rho_hi);
}
