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
