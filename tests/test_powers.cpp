// Tests for powers.hpp: closed-form M^t against repeated multiplication and binary powering
// (exactly where every operation is exact, to a derived tolerance otherwise), the closed-form
// norm, the envelope, the transient peak of the tuned heavy ball (SPEC section 7) and the
// whole-problem norm by blocks.
#include "test_support.hpp"

#include <momentum/powers.hpp>
#include <momentum/tuning.hpp>

#include <Eigen/QR>
#include <Eigen/SVD>

using namespace momentum;

namespace {

template <class T>
using M2 = Eigen::Matrix<T, 2, 2>;

template <class T>
M2<T> make(const T& a, const T& b, const T& c, const T& d) {
  M2<T> M;
  M << a, b, c, d;
  return M;
}

template <class T>
T max_abs(const M2<T>& M) {
  return M.cwiseAbs().maxCoeff();
}

/// Compares matrix_power(M, t) with t repeated products. Error budget (each a bound, not a fit):
/// repeated products: |fl(M P) - M P| <= 2 eps |M||P| per step, propagated by M^{t-k}:
///   <= 2 eps t ||M|| Emax^2 with Emax = max_{k <= t} E(k) (PowerEnvelope);
/// closed form: a_t, u_t carry a relative error of a few eps times (t + 1) (t log|r| and t theta
///   are formed with one rounding each, then exponentiated), times |a_t| + |u_t| ||C|| <= E(t)
///   (summed entrywise: factor 2).
template <class T>
void check_against_products(const M2<T>& M, long long t_max) {
  using std::max;
  const Spectrum<T> sp = spectrum_2x2(M);
  const PowerEnvelope<T> env = power_envelope(M, sp);
  const T eps = epsilon<T>();
  M2<T> P = M2<T>::Identity();
  T emax(1);
  for (long long t = 0; t <= t_max; ++t) {
    if (t > 0) P = (M * P).eval();
    emax = max(emax, env(t));
    if (t == 0 || t == 1 || t == 2 || t == 3 || t == 10 || t == 100 || t == t_max) {
      const M2<T> C = matrix_power(M, t);
      const T tol = 32 * eps * T(t + 1) * (env(t) + (1 + norm_2(M)) * emax * emax);
      INFO("M = [" << test::str(M(0, 0)) << ", " << test::str(M(0, 1)) << "; " << test::str(M(1, 0))
                   << ", " << test::str(M(1, 1)) << "], t = " << t << ", regime "
                   << to_string(sp.regime));
      CHECK(max_abs(M2<T>(C - P)) <= tol);
    }
  }
}

}  // namespace

TEST_CASE_TEMPLATE("closed-form powers equal repeated multiplication (random 2x2, all regimes)", T,
                   MOMENTUM_SCALARS) {
  std::mt19937_64 g(20261124);
  INFO("seed 20261124");
  int complex = 0, real = 0;
  for (int k = 0; k < 60; ++k) {
    M2<T> M = make(test::uniform<T>(g, -1, 1), test::uniform<T>(g, -1, 1),
                   test::uniform<T>(g, -1, 1), test::uniform<T>(g, -1, 1));
    const Spectrum<T> sp = spectrum_2x2(M);
    if (sp.rho == 0) continue;
    // Scale to rho = 1 exactly in spirit (rho is rounded): powers stay O(1) up to t = 300.
    M = (M / sp.rho).eval();
    (sp.roots[0].im != 0 ? complex : real)++;
    check_against_products(M, 300);
  }
  CHECK(complex > 10);
  CHECK(real > 10);
}

TEST_CASE_TEMPLATE("closed-form powers at the method matrices, including double roots", T,
                   MOMENTUM_SCALARS) {
  // Tuned heavy ball at kappa = 100: lambda = mu and L are double roots (Jordan blocks), the
  // interior is complex; Nesterov and the velocity form at the same parameters.
  const auto tuned = optimal_heavy_ball(T(1), T(100));
  for (const T& lambda : {T(1), T(2), T(50), T(100)}) {
    check_against_products(iteration_matrix(tuned.method, lambda), 400);
    check_against_products(iteration_matrix(to_velocity(tuned.method), lambda), 400);
  }
  check_against_products(iteration_matrix(Nesterov<T>(T(1) / 4, T(1) / 3), T(1)), 400);  // double root 1/2
  check_against_products(iteration_matrix(Nesterov<T>(T(1) / 2, T(1) / 10), T(1)), 400);
  check_against_products(iteration_matrix(HeavyBall<T>(T(5) / 100, T(1) / 4), T(1)), 400);
  CHECK(spectrum(tuned.method, T(1)).regime == Regime::critical);
  CHECK(spectrum(tuned.method, T(100)).regime == Regime::critical);
}

TEST_CASE_TEMPLATE("closed-form powers are exact where every operation is", T, MOMENTUM_SCALARS) {
  // Heavy ball with tau = 1, beta = 1/4: double root z = 1/2, A^t = z^t I + t z^{t-1} N has
  // dyadic entries (t + 1)/2^t, ...: exact in every type, as is binary powering.
  const M2<T> A = make(T(1), T(-1) / 4, T(1), T(0));
  const Spectrum<T> sp = spectrum_2x2(A);
  REQUIRE(sp.double_root);
  CHECK(sp.jordan);
  M2<T> P = M2<T>::Identity();
  for (long long t = 0; t <= 200; ++t) {
    if (t > 0) P = (A * P).eval();
    INFO("t = " << t);
    CHECK(matrix_power(A, t) == P);
    CHECK(matrix_power_binary(A, t) == P);
  }
  // Roots +-1/2 of opposite sign (r = -1): 1 - |r| = 0 exactly, so M^t = 2^-t I or 2^-t M/|M|.
  const M2<T> B = make(T(0), T(1) / 2, T(1) / 2, T(0));
  for (long long t = 0; t <= 200; ++t) {
    INFO("t = " << t);
    CHECK(matrix_power(B, t) == matrix_power_binary(B, t));
  }
  // The nilpotent Nesterov block at q = 0 (alpha lambda = 1): B^t = 0 for t >= 2.
  const Nesterov<T> nes(T(1) / 2, T(1) / 3);
  CHECK(power(nes, T(2), 1) == iteration_matrix(nes, T(2)));
  CHECK(power(nes, T(2), 2) == M2<T>::Zero());
  CHECK(power(nes, T(2), 1000000000LL) == M2<T>::Zero());
  // Gradient descent: (1 - eta lambda)^t.
  const GradientDescent<T> gd(T(1) / 4);
  CHECK(power(gd, T(6), 3)(0, 0) == T(-1) / 8);
}

TEST_CASE_TEMPLATE("closed-form norm is the largest singular value", T, MOMENTUM_SCALARS) {
  using std::abs;
  using std::sqrt;
  std::mt19937_64 g(7);
  INFO("seed 7");
  for (int k = 0; k < 200; ++k) {
    const M2<T> M = make(test::uniform<T>(g, -3, 3), test::uniform<T>(g, -3, 3),
                         test::uniform<T>(g, -3, 3), test::uniform<T>(g, -3, 3));
    // Independent formula: sigma_max^2 is the largest eigenvalue of the symmetric M^T M,
    // (tr + sqrt((a - d)^2 + 4 b^2))/2 for [[a, b], [b, d]].
    const M2<T> G = M.transpose() * M;
    const T lmax = (G.trace() + sqrt((G(0, 0) - G(1, 1)) * (G(0, 0) - G(1, 1)) + 4 * G(0, 1) * G(0, 1))) / 2;
    const T n2 = norm_2(M);
    CHECK(abs(n2 * n2 - lmax) <= 32 * epsilon<T>() * lmax);
    CHECK(abs(sigma_min(M) * n2 - abs(T(M(0, 0) * M(1, 1) - M(0, 1) * M(1, 0)))) <= 32 * epsilon<T>() * n2 * n2);
  }
  // Underflow-safe for machine types: a matrix of size 1e-200 keeps its norm.
  const M2<T> tiny = make(T(3e-200), T(0), T(0), T(4e-200));
  CHECK(abs(norm_2(tiny) - T(4e-200)) <= 4 * epsilon<T>() * T(4e-200));
}

TEST_CASE("double-precision norm of a 2n x 2n matrix equals the largest block norm") {
  // Whole-problem ||M^t||: the dense 2n x 2n heavy-ball matrix on Q = O^T diag(lambda) O,
  // powered by products, against max_i ||A_i^t|| from the closed forms.
  std::mt19937_64 g(11);
  INFO("seed 11");
  const int n = 5;
  Eigen::MatrixXd G(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) G(i, j) = test::uniform<double>(g, -1, 1);
  const Eigen::MatrixXd O = Eigen::HouseholderQR<Eigen::MatrixXd>(G).householderQ();
  Vector<double> lambdas(n);
  lambdas << 1, 3, 10, 40, 100;
  const Eigen::MatrixXd Q = O.transpose() * lambdas.asDiagonal() * O;
  const auto hb = optimal_heavy_ball(1.0, 100.0).method;
  const Eigen::MatrixXd M = iteration_matrix(hb, Q);
  Eigen::MatrixXd P = Eigen::MatrixXd::Identity(2 * n, 2 * n);
  for (long long t = 1; t <= 60; ++t) {
    P = M * P;
    const double dense = Eigen::JacobiSVD<Eigen::MatrixXd>(P).singularValues()(0);
    const double blocks = power_norm(hb, lambdas, t);
    INFO("t = " << t);
    // Dense products and SVD: a few hundred ulps of the peak (3.8) over 60 steps.
    CHECK(std::abs(dense - blocks) <= 64 * 60 * 2.22e-16 * 4);
  }
}

TEST_CASE_TEMPLATE("tuned heavy ball at kappa = 100: transient peak 3.7761485... at t = 5", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  const auto tuned = optimal_heavy_ball(T(1), T(100));
  const TransientPeak<T> p = transient_peak(tuned.method, T(1));
  CHECK(p.bounded);
  CHECK(p.complete);
  CHECK(p.t == 5);
  // References computed with mpmath at 90 digits (SVD of the product matrices), 75 digits kept.
  const T ref = test::ref<T>("3.77614852219961049333190291362050614812930248052837547633815068852790672875");
  // The peak moves by about t ||dA/d(alpha, beta)|| peak per relative input error: the tuned
  // alpha and beta are themselves rounded (a few eps), so 64 (t + 1) eps peak bounds it.
  CHECK(abs(p.peak - ref) <= 64 * 6 * epsilon<T>() * ref);
  if (digits10<T>() >= 49) CHECK(abs(p.peak - ref) < T(1e-30));
  // The same at lambda = L (the other critically damped end), and for the whole spectrum.
  CHECK(abs(transient_peak(tuned.method, T(100)).peak - ref) <= 64 * 6 * epsilon<T>() * ref);
  Vector<T> lambdas(4);
  lambdas << T(1), T(2), T(50), T(100);
  const TransientPeak<T> whole = transient_peak(tuned.method, lambdas);
  CHECK(whole.t == 5);
  CHECK((whole.index == 0 || whole.index == 3));  // both ends peak alike (to rounding)
  CHECK(abs(whole.peak - ref) <= 64 * 6 * epsilon<T>() * ref);
  // The velocity form and Nesterov (same alpha, beta) peak elsewhere (SPEC section 2).
  const TransientPeak<T> v = transient_peak(to_velocity(tuned.method), T(1));
  CHECK(v.t == 5);
  CHECK(abs(v.peak - test::ref<T>("2.34747590314510086077939500863730632048660093163492911582902256240114214573")) <=
        64 * 6 * epsilon<T>() * 3);
  const TransientPeak<T> nv = transient_peak(Nesterov<T>(tuned.method.alpha, tuned.method.beta), T(1));
  CHECK(nv.t == 5);
  CHECK(abs(nv.peak - test::ref<T>("3.58235640094903281007907037658031982968405710920917130109281422077750398437")) <=
        64 * 6 * epsilon<T>() * 4);
  // Nesterov's own optimal tuning: peak 6.074... at t = 8 at lambda = mu.
  const auto nt = optimal_nesterov(T(1), T(100));
  const TransientPeak<T> n1 = transient_peak(nt.method, T(1));
  CHECK(n1.t == 8);
  CHECK(abs(n1.peak - test::ref<T>("6.07414925600465152147401248137415089874884809973926532593151482494038998689")) <=
        64 * 9 * epsilon<T>() * 7);
  // The peak is the maximum of the closed-form norms (brute force up to t = 300).
  T brute(1);
  long long arg = 0;
  for (long long t = 1; t <= 300; ++t) {
    const T x = power_norm(tuned.method, T(1), t);
    if (x > brute) {
      brute = x;
      arg = t;
    }
  }
  CHECK(arg == p.t);
  CHECK(brute == p.peak);
  // Divergent: no peak.
  CHECK_FALSE(transient_peak(HeavyBall<T>(T(7) / 2, T(1) / 2), T(1)).bounded);
}

TEST_CASE_TEMPLATE("powers at t = 1e9 cost O(1), agree with squaring, and need the exponent range",
                   T, MOMENTUM_SCALARS) {
  using std::abs;
  using std::pow;
  const auto tuned = optimal_heavy_ball(T(1), T(100));
  for (const T& lambda : {T(1), T(30)}) {  // Jordan block, complex pair
    const long long t = 500000000LL;
    const M2<T> half = power(tuned.method, lambda, t);
    const M2<T> full = power(tuned.method, lambda, 2 * t);
    // Relative error of each closed form: a few eps times t (t log|z|, t theta); the square
    // adds one product.
    const M2<T> sq = half * half;
    const T scale = max_abs(full) + max_abs(M2<T>(half.cwiseAbs() * half.cwiseAbs()));
    CHECK(max_abs(M2<T>(full - sq)) <= 64 * epsilon<T>() * T(2 * t) * scale);
    // rho^(1e9) = (9/11)^(1e9) ~ 1e-87150167: zero in double, positive in the 50-digit types.
    const T n = norm_2(full);
    if (std::numeric_limits<T>::max_exponent10 < 100000) CHECK(n == 0);
    else CHECK(n > 0);
  }
  // ||A^t|| ~ (1 + z^2) t |z|^{t-1} at the double root (proofs/jordan_growth.md): the ratio
  // tends to 1 with an O(1/t) correction bounded by |z|/((1 + z^2) t).
  const T z = spectrum(tuned.method, T(1)).roots[0].re;
  for (long long t : {1000LL, 100000LL}) {
    const T ratio = power_norm(tuned.method, T(1), t) / ((1 + z * z) * T(t) * pow(abs(z), T(t - 1)));
    if (std::numeric_limits<T>::max_exponent10 < 100000 && t > 1000) break;  // underflows
    CHECK(abs(ratio - 1) <= T(2) / T(t));
  }
}

TEST_CASE_TEMPLATE("the envelope bounds every power and is eventually non-increasing", T,
                   MOMENTUM_SCALARS) {
  const auto tuned = optimal_heavy_ball(T(1), T(100));
  for (const T& lambda : {T(1), T(5), T(60), T(100)}) {
    for (const auto& M : {iteration_matrix(tuned.method, lambda),
                          iteration_matrix(to_velocity(tuned.method), lambda)}) {
      const Spectrum<T> sp = spectrum(tuned.method, lambda);
      const PowerEnvelope<T> env = power_envelope(M, sp);
      const long long t_dec = env.decreasing_from();
      REQUIRE(t_dec >= 0);
      for (long long t = 0; t <= 200; ++t) {
        INFO("lambda = " << test::str(lambda) << ", t = " << t);
        CHECK(norm_2(matrix_power(M, sp, t)) <= env(t) * (1 + 64 * epsilon<T>() * T(t + 1)));
        if (t >= t_dec) CHECK(env(t + 1) <= env(t));
      }
    }
  }
}

TEST_CASE("powers reject negative t") {
  const Eigen::Matrix2d M = Eigen::Matrix2d::Identity();
  test::check_invalid([&] { (void)matrix_power(M, -1); }, {"t must be non-negative"});
  test::check_invalid([&] { (void)matrix_power_binary(M, -1); }, {"t must be non-negative"});
  test::check_invalid([&] { (void)transient_peak(M, -1); }, {"max_t"});
}

// The two-state family, PyTorch's SGD and QHM: closed-form powers and transient peaks of their
// own matrices against repeated products; TwoState reproduces heavy ball and Nesterov.
TEST_CASE_TEMPLATE("TwoState, PyTorch, QHM: powers and peaks of their own matrices", T, double,
                   momentum::float50) {
  using std::abs;
  using std::max;
  const T lambda = T(3) / 2;
  auto check = [&](const auto& m, const char* what) {
    INFO(what);
    const Eigen::Matrix<T, 2, 2> M = iteration_matrix(m, lambda);
    Eigen::Matrix<T, 2, 2> P = Eigen::Matrix<T, 2, 2>::Identity();
    T best(0);
    long long best_t = 0;
    for (long long t = 0; t <= 400; ++t) {
      const T direct = norm_2(P);
      CHECK(abs(power_norm(m, lambda, t) - direct) <= 256 * epsilon<T>() * T(t + 1) * max(T(1), direct) * 10);
      if (direct > best) {
        best = direct;
        best_t = t;
      }
      P = (M * P).eval();
    }
    const TransientPeak<T> pk = transient_peak(m, lambda);
    REQUIRE(pk.bounded);
    CHECK(pk.complete);
    CHECK(pk.t <= 400);
    CHECK(abs(pk.peak - best) <= 256 * epsilon<T>() * T(best_t + 1) * best * 10);
  };
  check(TwoState<T>(T(1) / 5, T(4) / 5, T(0)), "family, gamma 0");
  check(TwoState<T>(T(1) / 5, T(4) / 5, T(4) / 5), "family, gamma beta");
  check(TwoState<T>(T(1) / 5, T(4) / 5, T(1) / 3), "family, gamma 1/3");
  check(PyTorchSGD<T>(T(1) / 5, T(4) / 5, T(1) / 10, T(1) / 10, false), "pytorch");
  check(PyTorchSGD<T>(T(1) / 5, T(4) / 5, T(1) / 10, T(1) / 10, true), "pytorch nesterov");
  check(QHM<T>(T(1), T(7) / 10, T(4) / 5), "qhm");
  // The family's matrix is heavy ball's at gamma = 0 (entry for entry), Nesterov's at gamma =
  // beta (to rounding): the same peaks.
  const HeavyBall<T> hb(T(1) / 5, T(4) / 5);
  const Nesterov<T> nag(T(1) / 5, T(4) / 5);
  const TransientPeak<T> a = transient_peak(TwoState<T>(hb.alpha, hb.beta, T(0)), lambda);
  const TransientPeak<T> b = transient_peak(hb, lambda);
  CHECK(a.peak == b.peak);
  CHECK(a.t == b.t);
  const TransientPeak<T> c = transient_peak(TwoState<T>(nag.alpha, nag.beta, nag.beta), lambda);
  const TransientPeak<T> d = transient_peak(nag, lambda);
  CHECK(abs(c.peak - d.peak) <= 64 * epsilon<T>() * T(d.t + 1) * d.peak);
  // And the own states differ: PyTorch's [b; x] peak is not its family member's [x; x-] peak.
  const PyTorchSGD<T> sgd(T(1) / 5, T(4) / 5);
  CHECK(abs(transient_peak(sgd, lambda).peak - transient_peak(sgd.family(), lambda).peak) > T(1) / 100);
}
