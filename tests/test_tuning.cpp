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
