// Tests for verify.hpp: the rate verification holds in every regime (complex, real_distinct,
// critical with t rho^t, boundary rho = 1, divergent) for every method at 50 digits, for
// T = 1e4 and T = 1e5, far below double's range; it rejects a rate 1e-6 off and a wrong Jordan
// size; its empirical rates obey their error bounds.
#include "test_support.hpp"

#include <momentum/tuning.hpp>
#include <momentum/verify.hpp>

#include <functional>

using namespace momentum;

namespace {

using H = mpfr_float;  // 50 digits (doctest_main.cpp)

template <class T>
struct Case {
  const char* name;
  std::function<RateVerification<T>(const VerifyOptions<T>&)> run;
  Regime regime;
  int m;
};

/// One case per regime and method, on one eigenvalue from z0 = 1 and the default second state.
template <class T>
std::vector<Case<T>> regime_cases() {
  auto on = [](auto method, T lambda) {
    return [method, lambda](const VerifyOptions<T>& o) { return verify_rate(method, lambda, o); };
  };
  const T h = T(1) / 2, q = T(1) / 4;
  return {
      {"heavy ball complex", on(HeavyBall<T>(h, T(81) / 100), T(1)), Regime::complex, 1},
      {"heavy ball real", on(HeavyBall<T>(T(5) / 100, q), T(1)), Regime::real_distinct, 1},
      {"heavy ball critical", on(HeavyBall<T>(q, q), T(1)), Regime::critical, 2},
      {"heavy ball boundary (roots 1, beta)", on(HeavyBall<T>(h, h), T(0)), Regime::boundary, 1},
      {"heavy ball boundary (|z| = 1, beta = 1)", on(HeavyBall<T>(T(1), T(1)), T(1)), Regime::boundary, 1},
      {"heavy ball divergent", on(HeavyBall<T>(T(7) / 2, h), T(1)), Regime::divergent, 1},
      {"velocity complex", on(Velocity<T>(h, T(81) / 100), T(1)), Regime::complex, 1},
      {"velocity real", on(Velocity<T>(T(5) / 100, q), T(1)), Regime::real_distinct, 1},
      {"velocity critical", on(Velocity<T>(q, q), T(1)), Regime::critical, 2},
      {"velocity boundary", on(Velocity<T>(h, h), T(0)), Regime::boundary, 1},
      {"velocity divergent", on(Velocity<T>(T(7) / 2, h), T(1)), Regime::divergent, 1},
      {"nesterov complex", on(Nesterov<T>(h, T(9) / 10), T(1)), Regime::complex, 1},
      {"nesterov real", on(Nesterov<T>(h, T(1) / 10), T(1)), Regime::real_distinct, 1},
      {"nesterov critical", on(Nesterov<T>(q, T(1) / 3), T(1)), Regime::critical, 2},
      {"nesterov boundary", on(Nesterov<T>(q, T(1) / 3), T(0)), Regime::boundary, 1},
      {"nesterov divergent", on(Nesterov<T>(T(5) / 2, h), T(1)), Regime::divergent, 1},
      {"gd monotone", on(GradientDescent<T>(T(1) / 10), T(1)), Regime::monotone, 1},
      {"gd oscillating", on(GradientDescent<T>(T(19) / 10), T(1)), Regime::oscillating, 1},
      {"gd boundary", on(GradientDescent<T>(T(2)), T(1)), Regime::boundary, 1},
      {"gd divergent", on(GradientDescent<T>(T(21) / 10), T(1)), Regime::divergent, 1},
  };
}

template <class T>
VerifyOptions<T> steps(long long t) {
  VerifyOptions<T> o;
  o.steps = t;
  return o;
}

}  // namespace

TEST_CASE("every regime and method verifies at 50 digits, T = 1e4") {
  for (const auto& c : regime_cases<H>()) {
    const RateVerification<H> r = c.run(steps<H>(10000));
    INFO(c.name << ": " << summary(r));
    CHECK(r.holds);
    CHECK(r.band_holds);
    CHECK(r.sharp_holds);
    CHECK(r.regime == c.regime);
    CHECK(r.m_computed == c.m);
    CHECK(r.measured_min >= r.c_lo * (1 - H(1e-40)));
    CHECK(r.measured_max <= r.c_hi * (1 + H(1e-40)));
  }
}

TEST_CASE("one case per regime verifies at T = 1e5, far below 1e-308") {
  for (const auto& c : regime_cases<H>()) {
    if (std::string(c.name).rfind("heavy ball", 0) != 0) continue;  // one method per regime
    const RateVerification<H> r = c.run(steps<H>(100000));
    INFO(c.name << ": " << summary(r));
    CHECK(r.holds);
    CHECK(r.regime == c.regime);
  }
  // The three convergent regimes end far below double's smallest number: ||e_T|| ~ rho^T.
  Vector<H> l(1), z(1);
  l << H(1);
  z << H(1);
  SimulateOptions o;
  o.steps = 100000;
  for (const auto& m : {HeavyBall<H>(H(1) / 2, H(81) / 100), HeavyBall<H>(H(5) / 100, H(1) / 4),
                        HeavyBall<H>(H(1) / 4, H(1) / 4)}) {
    const H e = simulate_eigen(m, l, z, Vector<H>(), o).points.back().error_norm;
    CHECK(e > 0);
    CHECK(e < H("1e-3000"));
  }
}

TEST_CASE("double underflows where the 50-digit verification holds") {
  // Heavy ball, complex, rho = 0.9: ||e_t|| ~ 0.9^t < 1e-308 from t ~ 6800.
  const RateVerification<H> hi = verify_rate(HeavyBall<H>(H(1) / 2, H(81) / 100), H(1), steps<H>(10000));
  CHECK(hi.holds);
  Vector<double> l(1), z(1);
  l << 1;
  z << 1;
  SimulateOptions o;
  o.steps = 10000;
  // double leaves the normal range: subnormal (stuck near 4.9e-324 with round-to-nearest) or 0,
  // with no correct digit left (the true value is ~1e-458).
  const double d = simulate_eigen(HeavyBall<double>(0.5, 0.81), l, z, Vector<double>(), o).points.back().error_norm;
  CHECK(d < 1e-307);
  Vector<H> lh(1), zh(1);
  lh << H(1);
  zh << H(1);
  const H e = simulate_eigen(HeavyBall<H>(H(1) / 2, H(81) / 100), lh, zh, Vector<H>(), o).points.back().error_norm;
  CHECK(e > 0);
  CHECK(e < H("1e-308"));
  CHECK(abs(H(d) - e) > H("1e100") * e);
  // In double the normalised error is 0/0 past the underflow: the verdict cannot hold.
  const RateVerification<double> lo = verify_rate(HeavyBall<double>(0.5, 0.81), 1.0, steps<double>(10000));
  INFO(summary(lo));
  CHECK_FALSE(lo.holds);
}

TEST_CASE_TEMPLATE("every regime verifies in every type over 300 steps", T, MOMENTUM_SCALARS) {
  for (const auto& c : regime_cases<T>()) {
    const RateVerification<T> r = c.run(steps<T>(300));
    INFO(c.name << ": " << summary(r));
    CHECK(r.holds);
    CHECK(r.regime == c.regime);
    CHECK(r.m_computed == c.m);
  }
}

TEST_CASE("a rate 1e-6 off fails in every regime (T = 1e5)") {
  for (const auto& c : regime_cases<H>()) {
    if (std::string(c.name).rfind("heavy ball", 0) != 0) continue;
    const RateVerification<H> right = c.run(steps<H>(1000));
    for (const H& f : {H(1) + H("1e-6"), H(1) - H("1e-6")}) {
      VerifyOptions<H> o = steps<H>(100000);
      o.rho = right.rho_computed * f;
      const RateVerification<H> r = c.run(o);
      INFO(c.name << ": " << summary(r));
      CHECK_FALSE(r.holds);
      // Over 1e5 steps a relative rate error of 1e-6 moves the normalised error by
      // (1 +- 1e-6)^1e5 ~ e^{+-0.1}: about 10%, far outside the sharp prediction.
      CHECK(r.sharp_deviation > 1);
    }
  }
  // Even in double, over 1e4 steps the sharp check resolves a relative error of 1e-6.
  VerifyOptions<double> od = steps<double>(1000);
  const RateVerification<double> ok = verify_rate(HeavyBall<double>(0.05, 0.25), 1.0, od);
  REQUIRE(ok.holds);
  CHECK(ok.detectable_rate_error < 1e-6);
  od.rho = ok.rho_computed * (1 + 1e-6);
  CHECK_FALSE(verify_rate(HeavyBall<double>(0.05, 0.25), 1.0, od).holds);
}

TEST_CASE("a wrong Jordan size fails") {
  // Critical: ||e_t|| ~ t rho^t; claiming m = 1 lets the normalised error grow like t.
  VerifyOptions<H> o = steps<H>(10000);
  o.jordan_size = 1;
  const auto crit = verify_rate(HeavyBall<H>(H(1) / 4, H(1) / 4), H(1), o);
  INFO(summary(crit));
  CHECK_FALSE(crit.holds);
  CHECK_FALSE(crit.band_holds);
  CHECK(crit.measured_max > 1000 * crit.c_hi);
  // Complex: claiming m = 2 makes it decay like 1/t.
  o.jordan_size = 2;
  const auto cplx = verify_rate(HeavyBall<H>(H(1) / 2, H(81) / 100), H(1), o);
  INFO(summary(cplx));
  CHECK_FALSE(cplx.holds);
  CHECK(cplx.measured_min < cplx.c_lo / 1000);
  // Nesterov and the velocity form at their double roots too.
  o.jordan_size = 1;
  CHECK_FALSE(verify_rate(Nesterov<H>(H(1) / 4, H(1) / 3), H(1), o).holds);
  CHECK_FALSE(verify_rate(Velocity<H>(H(1) / 4, H(1) / 4), H(1), o).holds);
}

TEST_CASE("the empirical rates obey their error bounds") {
  using std::log;
  using std::pow;
  for (const auto& c : regime_cases<H>()) {
    const long long T = 10000;
    const RateVerification<H> r = c.run(steps<H>(T));
    REQUIRE(r.holds);
    INFO(c.name << ": " << summary(r));
    // Gelfand: rho^T <= ||M^T|| (so the estimate is at least rho, to rounding).
    CHECK(r.estimate_gelfand >= r.rho * (1 - H(1e-40)));
    if (r.m_computed == 1 && r.c_lo > 0) {
      // Log-slope over the window W = T/2 of a log-error that stays within log(c_hi/c_lo) of
      // t log rho: |slope - log rho| <= 1.5 log(c_hi/c_lo) / W (least squares of a bounded
      // perturbation on evenly spaced points: sum |t - mean| / sum (t - mean)^2 ~ 3/W).
      const H W = H(T / 2);
      CHECK(abs(log(r.estimate_slope / r.rho)) <= H(3) / 2 * log(r.c_hi / r.c_lo) / W + H(1e-40));
      // t-th root: G(T) in [c_lo, c_hi] against G(0) = ||e_0||.
      const H g0 = r.initial_error;
      CHECK(abs(log(r.estimate_root / r.rho)) <=
            std::max(H(abs(log(r.c_hi / g0))), H(abs(log(r.c_lo / g0)))) / H(T) + H(1e-40));
    }
  }
}

TEST_CASE("verification on a quadratic with x* != 0, and the doctest helper") {
  // Tuned heavy ball on a spectrum in [1, 100] with both ends critically damped: m = 2.
  Vector<H> lambdas(5), c(5), x0(5);
  lambdas << H(1), H(2), H(10), H(60), H(100);
  c << H(1), H(-1), H(2), H(0), H(3);
  x0 << H(1), H(1), H(1), H(1), H(1);
  const Quadratic<H> h(Matrix<H>(lambdas.asDiagonal()), c, H(0));
  const auto hb = optimal_heavy_ball(H(1), H(100)).method;
  const RateVerification<H> r = verify_rate(hb, h, x0, Vector<H>(), steps<H>(20000));
  INFO(summary(r));
  CHECK(r.holds);
  CHECK(r.m_computed == 2);
  CHECK(r.regime == Regime::critical);
  CHECK(abs(r.rho_computed - H(9) / 11) <= 16 * epsilon<H>());
  // Measuring x alone (in the complex interior it dips; the sharp check still applies).
  VerifyOptions<H> ox = steps<H>(20000);
  ox.measure = ErrorMeasure::x;
  CHECK(verify_rate(hb, h, x0, Vector<H>(), ox).holds);
  // The tuning's advertised rate (sqrt(kappa) - 1)/(sqrt(kappa) + 1) with its Jordan block,
  // claimed explicitly, over 1e5 steps (to ~1e-8700):
  const auto tuned = optimal_heavy_ball(H(1), H(100));
  VerifyOptions<H> claim = steps<H>(100000);
  claim.rho = tuned.rate;
  claim.jordan_size = 2;
  CHECK(verify_rate(tuned.method, H(1), claim).holds);
  CHECK(verify_rate(tuned.method, H(100), claim).holds);
  // The one-line use in a user's test:
  CHECK(momentum::verify_rate(optimal_nesterov(H(1), H(100)).method, H(1)).holds);
  CHECK(momentum::verify_rate(hb, h, x0, Vector<H>()).holds);
}

TEST_CASE("verify_rate rejects bad options, naming them") {
  VerifyOptions<double> o;
  o.steps = 0;
  test::check_invalid([&] { (void)verify_rate(HeavyBall<double>(0.1, 0.5), 1.0, o); },
                      {"verify_rate", "steps must be at least 1"});
  o.steps = 10;
  o.rho = -1.0;
  test::check_invalid([&] { (void)verify_rate(HeavyBall<double>(0.1, 0.5), 1.0, o); },
                      {"claimed rho"});
  o.rho.reset();
  o.jordan_size = 3;
  test::check_invalid([&] { (void)verify_rate(HeavyBall<double>(0.1, 0.5), 1.0, o); },
                      {"Jordan size must be 1 or 2"});
}

// The two-state family, PyTorch's SGD and QHM (SPEC section 11): the rate holds in their own
// state, a wrong rate fails, and TwoState verifies heavy ball's and Nesterov's rates.
TEST_CASE_TEMPLATE("verify_rate: TwoState, PyTorch and QHM", T, double, momentum::float50) {
  using std::abs;
  Vector<T> lambdas(3), z0(3);
  lambdas << T(1), T(10), T(50);
  z0 << T(1), T(-2), T(1) / 2;
  VerifyOptions<T> o;
  o.steps = 600;
  auto check = [&](const auto& m, const char* what) {
    INFO(what);
    const RateVerification<T> r = verify_rate(m, lambdas, z0, Vector<T>(), o);
    INFO(summary(r));
    CHECK(r.holds);
    T rho(0);
    for (Eigen::Index i = 0; i < lambdas.size(); ++i) rho = std::max(rho, T(spectral_radius(m, T(lambdas(i)))));
    CHECK(abs(r.rho_computed - rho) <= 8 * epsilon<T>());
    VerifyOptions<T> wrong = o;
    wrong.rho = r.rho_computed * (1 + T(1) / 100);
    CHECK_FALSE(verify_rate(m, lambdas, z0, Vector<T>(), wrong).holds);
  };
  check(TwoState<T>(T(1) / 40, T(3) / 5, T(0)), "family, gamma 0");
  check(TwoState<T>(T(1) / 40, T(3) / 5, T(3) / 5), "family, gamma beta");
  check(TwoState<T>(T(1) / 40, T(3) / 5, T(1) / 3), "family");
  check(PyTorchSGD<T>(T(1) / 40, T(3) / 5, T(1) / 2, T(1) / 10, true), "pytorch nesterov");
  check(PyTorchSGD<T>(T(1) / 40, T(3) / 5, T(0), T(0), false), "pytorch");
  check(QHM<T>(T(1) / 15, T(7) / 10, T(3) / 5), "qhm");
  // TwoState(alpha, beta, 0) is heavy ball in every reported number.
  const RateVerification<T> a = verify_rate(TwoState<T>(T(1) / 40, T(3) / 5, T(0)), lambdas, z0, Vector<T>(), o);
  const RateVerification<T> b = verify_rate(HeavyBall<T>(T(1) / 40, T(3) / 5), lambdas, z0, Vector<T>(), o);
  CHECK(a.rho_computed == b.rho_computed);
  CHECK(a.c_lo == b.c_lo);
  CHECK(a.c_hi == b.c_hi);
  CHECK(a.measured_max == b.measured_max);
}
