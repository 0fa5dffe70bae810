// Tests for tuning.hpp: each tuning's claimed rate equals the worst case it actually attains,
// the heavy-ball optimum beats every sampled (alpha, beta), and bad intervals are refused.
#include "test_support.hpp"

#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

using namespace momentum;

TEST_CASE_TEMPLATE("claimed rates are the worst-case rates the tunings attain", T,
                   MOMENTUM_SCALARS) {
  using std::sqrt;
  for (const char* L_str : {"1", "2", "100", "12345.5", "1e6"}) {
    const T mu = parse<T>("0.5"), L = parse<T>(L_str) * mu;
    const T kappa = L / mu;
    INFO("kappa = " << std::string(L_str));
    const auto gd = optimal_gd(mu, L);
    CHECK(abs(worst_case(gd.method, mu, L).rho - gd.rate) <= test::ulps<T>(16));
    CHECK(abs(gd.rate - (kappa - 1) / (kappa + 1)) <= test::ulps<T>(16));
    const auto hb = optimal_heavy_ball(mu, L);
    CHECK(abs(worst_case(hb.method, mu, L).rho - hb.rate) <= test::ulps<T>(16));
    CHECK(abs(hb.rate - (sqrt(kappa) - 1) / (sqrt(kappa) + 1)) <= test::ulps<T>(16));
    const auto v = optimal_velocity(mu, L);
    CHECK(abs(worst_case(v.method, mu, L).rho - v.rate) <= test::ulps<T>(16));
    const auto n = optimal_nesterov(mu, L);
    CHECK(abs(worst_case(n.method, mu, L).rho - n.rate) <= test::ulps<T>(16));
    const auto ns = standard_nesterov(mu, L);
    CHECK(abs(worst_case(ns.method, mu, L).rho - ns.rate) <= test::ulps<T>(16));
  }
}

TEST_CASE("no sampled heavy-ball (alpha, beta) beats the optimum on [mu, L]") {
  const double mu = 1, L = 100;
  const auto best = optimal_heavy_ball(mu, L);
  std::mt19937_64 g(19);
  for (int k = 0; k < 20000; ++k) {
    const double a = std::uniform_real_distribution<double>(0, 4 / L)(g);
    const double b = std::uniform_real_distribution<double>(-0.5, 1)(g);
    CHECK(worst_case(HeavyBall<double>(a, b), mu, L).rho >= best.rate * (1 - 1e-12));
  }
}

TEST_CASE_TEMPLATE("tunings refuse bad intervals, naming the argument", T, MOMENTUM_SCALARS) {
  test::check_invalid([] { (void)optimal_gd(T(0), T(1)); }, {"mu", "positive"});
  test::check_invalid([] { (void)optimal_heavy_ball(T(2), T(1)); }, {"L", "at least mu"});
  test::check_invalid([] { (void)optimal_nesterov(T(1), std::numeric_limits<T>::infinity()); },
                      {"L", "finite"});
  test::check_invalid([] { (void)critical_beta(T(-1), T(1)); }, {"alpha*lambda"});
}

TEST_CASE_TEMPLATE("tunings at kappa = 1: rate 0, a gap of 1", T, MOMENTUM_SCALARS) {
  const T mu = parse<T>("2.5");
  const auto gd = optimal_gd(mu, mu);
  CHECK(gd.rate == 0);
  CHECK(gd.gap == 1);
  CHECK(gd.method.eta == 1 / mu);
  const auto hb = optimal_heavy_ball(mu, mu);
  CHECK(hb.rate == 0);
  CHECK(hb.method.beta == 0);
  CHECK(abs(hb.method.alpha - 1 / mu) <= test::ulps<T>(4) / mu);
  CHECK(abs(optimal_nesterov(mu, mu).rate) <= test::ulps<T>(4));
  CHECK(abs(standard_nesterov(mu, mu).rate) <= test::ulps<T>(4));
}

TEST_CASE("at kappa = 1e16 the gap keeps the digits the rate cannot hold in double") {
  // Regression: optimal_gd(1, 1e16).rate was (L - mu)/(L + mu) = 1 exactly in double (both
  // sums round), so `momentum optimal` printed rate 1 and "inf" iterations per digit; the rate
  // is 1 - 2e-16 (nearest double 0.9999999999999998), the gap 2e-16.
  const double mu = 1, L = 1e16;
  const auto gd = optimal_gd(mu, L);
  CHECK(gd.rate < 1);
  CHECK(gd.rate == 1 - 2.220446049250313e-16);  // the double nearest 1 - 2/(1 + 1e16)
  CHECK(std::abs(gd.gap - 2e-16) <= 2e-16 * 4e-16);
  for (const double g : {optimal_heavy_ball(mu, L).gap, optimal_velocity(mu, L).gap})
    CHECK(std::abs(g - 2 / (1e8 + 1)) <= 2e-8 * 4e-16);
  CHECK(std::abs(optimal_nesterov(mu, L).gap - 2 / std::sqrt(3e16 + 1)) <= 1.2e-8 * 4e-16);
  CHECK(std::abs(standard_nesterov(mu, L).gap - 1e-8) <= 1e-8 * 4e-16);
  // The gap is 1 - rate, to the rounding of the rate (an ulp of 1), at 50 digits; and the
  // 50-digit gap is the double one to double's precision.
  using H = mpfr_float;
  const auto gd50 = optimal_gd(H(1), H("1e16"));
  CHECK(abs((1 - gd50.rate) - gd50.gap) <= 4 * epsilon<H>());
  CHECK(abs(gd50.gap - H(gd.gap)) <= gd50.gap * 4 * epsilon<double>());
  const auto hb50 = optimal_heavy_ball(H(1), H("1e16"));
  CHECK(abs((1 - hb50.rate) - hb50.gap) <= 4 * epsilon<H>());
}

TEST_CASE("tunings on [1e-300, 1e300]: finite parameters where kappa = 1e600 overflows double") {
  // Regression: optimal_nesterov computed sqrt(3 kappa + 1) with kappa = inf, so its beta was
  // NaN (the tool said "nesterov: beta must be finite, got -nan" to a user who gave no beta).
  const double mu = 1e-300, L = 1e300;
  const auto n = optimal_nesterov(mu, L);
  CHECK(is_finite(n.method.beta));
  CHECK(n.method.beta == 1);  // 1 - 2.3e-300, rounded
  CHECK(std::abs(n.gap - 2 / std::sqrt(3.0) * 1e-300) <= 1.2e-300 * 1e-15);
  CHECK(std::abs(n.method.alpha - 4 / 3.0 * 1e-300) <= 1.4e-300 * 1e-15);
  const auto s = standard_nesterov(mu, L);
  CHECK(is_finite(s.method.beta));
  CHECK(std::abs(s.gap - 1e-300) <= 1e-300 * 1e-15);
  const auto h = optimal_heavy_ball(mu, L);
  CHECK(std::abs(h.gap - 2e-300) <= 2e-300 * 1e-15);
  // Gradient descent's gap 2e-600 is below double's range: in long double it is there.
  CHECK(std::abs(optimal_gd(1e-300L, 1e300L).gap / 2e-600L - 1) <= 1e-17L);
}

// ---- Two-state tunings (issue 17) ----

TEST_CASE_TEMPLATE("triple and robust momentum: the worst-case rate is exactly the claimed rho", T,
                   momentum::float50, momentum::mpfr_float, double) {
  using std::abs;
  using std::max;
  using std::sqrt;
  for (const char* L_str : {"2", "10", "100", "12345.5", "1e6"}) {
    const T mu = parse<T>("0.5"), L = parse<T>(L_str) * mu;
    const T kappa = L / mu;
    INFO("kappa = " << std::string(L_str));
    const auto tm = triple_momentum(mu, L);
    CHECK(abs(tm.rate - (1 - 1 / sqrt(kappa))) <= test::ulps<T>(8));
    CHECK(abs(tm.gap - (1 - tm.rate)) <= test::ulps<T>(8));
    const WorstCase<T> w = worst_case(tm.method, mu, L);
    // Both ends attain the rate (to a few ulps scaled by the roots' conditioning near a double
    // root: the rho_error bound of each end).
    CHECK(abs(w.at_min.rho - tm.rate) <= w.at_min.rho_error + test::ulps<T>(16));
    CHECK(abs(w.at_max.rho - tm.rate) <= w.at_max.rho_error + test::ulps<T>(16));
    // The interior never exceeds it (quasi-convexity, sampled).
    for (int i = 1; i < 50; ++i)
      CHECK(spectrum(tm.method, T(mu + (L - mu) * i / 50)).rho <= tm.rate + test::ulps<T>(64));
    const auto range = robust_momentum_range(mu, L);
    for (int i = 0; i <= 4; ++i) {
      const T rho = range.first + (range.second - range.first) * i / 4;
      const auto rm = robust_momentum(mu, L, rho);
      const WorstCase<T> wr = worst_case(rm.method, mu, L);
      INFO("rho = " << test::str(rho));
      CHECK(rm.rate == rho);
      // The parameters carry a few roundings each, which 1/(1 - rho) (up to kappa) amplifies:
      // kappa = 1e6 in float50 is 140 ulps off; sqrt(kappa) 64 ulps is still 1e-45 there.
      CHECK(abs(wr.rho - rho) <= max(wr.at_min.rho_error, wr.at_max.rho_error) +
                                     test::ulps<T>(64) * sqrt(kappa));
      for (int j = 1; j < 50; ++j)
        CHECK(spectrum(rm.method, T(mu + (L - mu) * j / 50)).rho <= rho + test::ulps<T>(64));
    }
    // rho = 1 - 1/sqrt(kappa) is triple momentum.
    const auto rm0 = robust_momentum(mu, L, range.first);
    // alpha is proportional to (1 - rho)^2, and 1 - rho = 1/sqrt(kappa) is exact in one and
    // computed from the rounded rho in the other: relative error up to 2 sqrt(kappa) ulps.
    CHECK(abs(rm0.method.alpha - tm.method.alpha) <= test::ulps<T>(8) * sqrt(kappa) * tm.method.alpha);
    CHECK(abs(rm0.method.beta - tm.method.beta) <= test::ulps<T>(64) * kappa);
    const auto mid = robust_momentum(mu, L);
    CHECK(abs(mid.rate - (range.first + range.second) / 2) <= test::ulps<T>(2));
  }
}

TEST_CASE_TEMPLATE("robust momentum refuses rho outside its range, naming rho and the range", T,
                   MOMENTUM_SCALARS) {
  const T mu(1), L(100);  // range [0.9, 0.99]
  test::check_invalid([&] { (void)robust_momentum(mu, L, T(8) / 10); },
                      {"robust_momentum", "rho", "[1 - 1/sqrt(kappa), 1 - 1/kappa]", "kappa = 100", "got 0.8"});
  test::check_invalid([&] { (void)robust_momentum(mu, L, T(1)); }, {"rho", "got 1"});
  test::check_invalid([&] { (void)triple_momentum(T(0), L); }, {"mu", "positive"});
  const auto one = robust_momentum(mu, mu);
  CHECK(one.rate == 0);
  CHECK(worst_case(one.method, mu, mu).rho <= test::ulps<T>(4));
}

TEST_CASE_TEMPLATE("optimal_pytorch and optimal_qhm: closed forms", T, MOMENTUM_SCALARS) {
  using std::abs;
  const T mu = parse<T>("0.5"), L = parse<T>("50");
  const auto hb = optimal_heavy_ball(mu, L);
  for (const char* d : {"0", "0.1", "0.9", "-0.5"}) {
    const T damp = parse<T>(d);
    const auto p = optimal_pytorch(mu, L, damp, false);
    INFO("dampening " << std::string(d));
    CHECK(abs(p.method.family().alpha - hb.method.alpha) <= test::ulps<T>(4) * hb.method.alpha);
    CHECK(p.method.momentum == hb.method.beta);
    CHECK(p.rate == hb.rate);
    CHECK(abs(worst_case(p.method, mu, L).rho - p.rate) <= test::ulps<T>(16));
  }
  test::check_invalid([&] { (void)optimal_pytorch(mu, L, T(1), false); }, {"dampening", "no lr converges"});
  // kappa = 1: no momentum, PyTorch keeps no buffer, dampening unused.
  const auto p1 = optimal_pytorch(mu, mu, T(1), false);
  CHECK(p1.method.momentum == 0);
  CHECK(worst_case(p1.method, mu, mu).rho <= test::ulps<T>(4));
  const auto n = optimal_pytorch(mu, L, T(0), true);
  const auto on = optimal_nesterov(mu, L);
  CHECK(n.method.lr == on.method.alpha);
  CHECK(n.method.momentum == on.method.beta);
  CHECK(abs(worst_case(n.method, mu, L).rho - n.rate) <= test::ulps<T>(16));
  const auto q = optimal_qhm(mu, L);
  CHECK(q.method.nu == 1);
  CHECK(abs(q.method.family().alpha - hb.method.alpha) <= test::ulps<T>(8) * hb.method.alpha);
  CHECK(q.method.family().alpha_gamma == 0);
  CHECK(abs(worst_case(q.method, mu, L).rho - q.rate) <= test::ulps<T>(16));
  CHECK(optimal_qhm(mu, L, T(1)).rate == q.rate);
}

TEST_CASE_TEMPLATE("numerical optima: above the two-state bound, at the best of a fine grid, exact rate",
                   T, double, momentum::float50) {
  using std::pow;
  using std::sqrt;
  for (const char* L_str : {"10", "1000"}) {
    const T mu(1), L = parse<T>(L_str);
    const T bound = (sqrt(L / mu) - 1) / (sqrt(L / mu) + 1);
    INFO("kappa = " << std::string(L_str));
    const auto p = optimal_pytorch(mu, L, parse<T>("0.3"), true);
    const auto q = optimal_qhm(mu, L, parse<T>("0.7"));
    for (const T& rate : {p.rate, q.rate}) CHECK(rate >= bound * (1 - test::ulps<T>(16)));
    CHECK(p.rate == worst_case(p.method, mu, L).rho);
    CHECK(q.rate == worst_case(q.method, mu, L).rho);
    CHECK(std::string(p.status).find("numerical optimum; rate exact") == 0);
    // A fine grid (in double, 200 x 200 over the same parameters) finds nothing better than
    // 1e-6 below the optimum found.
    double best_p = 2, best_q = 2;
    const double Ld = static_cast<double>(L);
    for (int i = 0; i < 200; ++i)
      for (int j = 0; j < 200; ++j) {
        const double m = 1 - std::pow(10.0, -(0.5 * std::log10(Ld) + 2) * j / 199.0);
        const double x = std::pow(10.0, -4 + (std::log10(8.0) + 4) * i / 199.0);
        try {
          best_p = std::min(best_p, worst_case(PyTorchSGD<double>(x / (Ld * (1 + m * 0.7)), m, 0.3, 0, true), 1.0, Ld).rho);
          best_q = std::min(best_q, worst_case(QHM<double>(x / (Ld * (1 - 0.7 * m)), 0.7, m), 1.0, Ld).rho);
        } catch (const std::exception&) {
        }
      }
    CHECK(static_cast<double>(p.rate) <= best_p + 1e-9);
    CHECK(static_cast<double>(q.rate) <= best_q + 1e-9);
    MESSAGE("kappa " << std::string(L_str) << ": pytorch nesterov d=0.3 rate " << test::str(p.rate) << " (grid "
                     << best_p << "), qhm nu=0.7 rate " << test::str(q.rate) << " (grid " << best_q
                     << "), bound " << test::str(bound));
  }
}
