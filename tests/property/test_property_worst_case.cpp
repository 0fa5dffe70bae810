// Property tests at volume: the worst case over a spectrum is at an end point (SPEC section 5,
// proofs/README.md theorem 5). For each method, base_cases() (default 100000) random spectra
// of 2 to 32 eigenvalues in [mu, L] (kappa up to 1e6, and kappa = 1) with parameters drawn to
// put every regime at the ends and inside (tuned, near-tuned, random, divergent), in double:
//  - worst_case over the eigenvalues is the larger of the two end radii, attained at the ends it
//    names;
//  - no eigenvalue, and no point of a 48-point grid over [mu, L], has a larger radius;
//  - on the grid the radius is quasi-convex: each value is at most the larger of the smallest
//    values to its left and to its right (a valley, not merely below the ends).
// Each comparison allows both radii their error bound (rho_error, plus at a classified double
// root the split sqrt(2 discriminant_error)/2 that the exact inputs' roots may have: see
// test_property_rates.cpp, which checks those bounds against exact radii).
// At 50 digits, base_cases()/100 exact rational tunings whose end points are exact double
// roots (heavy ball with mu = a^2, L = b^2) or exact ties (gradient descent, Nesterov with
// 3 kappa + 1 a square) give rho to a few ulps, both ends as worst eigenvalues, and no interior
// point above them.
#include "property_support.hpp"

#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <boost/multiprecision/gmp.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace momentum;
using property::Rng;

namespace {
namespace endpoints {  // one namespace per file: the property tests compile as one unit

constexpr std::uint64_t default_seed = 7003;
constexpr int grid_points = 48;

/// The radius's error allowance at one eigenvalue (see the file comment).
template <class S>
S radius_error(const Spectrum<S>& sp) {
  using std::sqrt;
  S e = sp.rho_error;
  if (sp.double_root) e += sqrt(2 * sp.discriminant_error) / 2;
  return e;
}

struct Stats {
  property::Tally end_regimes, inside_regimes, draws;
  long long ties = 0, grid_checks = 0;
};

// Parameters, drawn so that the ends and the inside of [mu, L] fall in every regime.
GradientDescent<double> draw(const GradientDescent<double>*, double mu, double L, Rng& r,
                             Stats& st) {
  const double u = r.unit();
  if (u < 0.15) {
    st.draws.add("optimal");
    return optimal_gd(mu, L).method;
  }
  if (u < 0.25) {
    st.draws.add("negative step");
    return GradientDescent<double>(-r.decade(-6, 0) / L);
  }
  if (u < 0.35) {  // past the optimum: L oscillates and is the worst end
    st.draws.add("oscillating at L");
    return GradientDescent<double>(r.uniform(2 / (mu + L), 2 / L));
  }
  st.draws.add("random");
  return GradientDescent<double>(r.uniform(0, 2.6) / L);
}

template <class Method>
Method heavy_draw(double mu, double L, Rng& r, Stats& st) {
  const double u = r.unit();
  const auto tuned = optimal_heavy_ball(mu, L).method;
  if (u < 0.2) {
    st.draws.add("optimal");
    return Method(tuned.alpha, tuned.beta);
  }
  if (u < 0.4) {
    st.draws.add("near optimal");
    const double da = r.decade(-8, -1) * (r.chance(0.5) ? 1 : -1);
    const double db = r.decade(-8, -1) * (r.chance(0.5) ? 1 : -1);
    return Method(tuned.alpha * (1 + da), std::min(1.2, tuned.beta * (1 + db)));
  }
  st.draws.add("random");
  const double b = r.uniform(-1.2, 1.2);
  return Method(r.uniform(0, 2.8 * (1 + std::abs(b))) / L, b);
}
HeavyBall<double> draw(const HeavyBall<double>*, double mu, double L, Rng& r, Stats& st) {
  return heavy_draw<HeavyBall<double>>(mu, L, r, st);
}
Velocity<double> draw(const Velocity<double>*, double mu, double L, Rng& r, Stats& st) {
  return heavy_draw<Velocity<double>>(mu, L, r, st);
}
Nesterov<double> draw(const Nesterov<double>*, double mu, double L, Rng& r, Stats& st) {
  const double u = r.unit();
  if (u < 0.15) {
    st.draws.add("optimal");
    return optimal_nesterov(mu, L).method;
  }
  if (u < 0.25) {
    st.draws.add("standard");
    return standard_nesterov(mu, L).method;
  }
  st.draws.add("random");
  const double b = r.uniform(-0.6, 1.3);
  return Nesterov<double>(r.uniform(0, 4.0) / L, b);
}

/// The checks on one spectrum, in any scalar.
template <class Method, class S>
void check_spectrum(const Method& m, const std::vector<S>& lambdas, const std::vector<S>& grid,
                    Stats& st) {
  using std::abs;
  using std::max;
  using std::min;
  Vector<S> l(static_cast<Eigen::Index>(lambdas.size()));
  for (std::size_t i = 0; i < lambdas.size(); ++i) l(static_cast<Eigen::Index>(i)) = lambdas[i];
  const WorstCase<S> w = worst_case(m, l);
  const S mu = l.minCoeff(), L = l.maxCoeff();
  st.end_regimes.add(w.regime);
  INFO("worst case: rho = " << test::str(w.rho, 20) << " at "
                            << (w.worst_eigenvalues.empty() ? std::string("none")
                                                            : test::str(w.worst_eigenvalues[0], 20))
                            << ", regime " << std::string(to_string(w.regime)) << "; at mu "
                            << test::str(w.at_min.rho, 20) << " ("
                            << std::string(to_string(w.at_min.regime)) << "), at L "
                            << test::str(w.at_max.rho, 20) << " ("
                            << std::string(to_string(w.at_max.regime)) << ")");

  // 1. The larger end radius (the one at mu where the two tie to 16 eps, worst_case.hpp),
  // attained where it says.
  const Spectrum<S> at_mu = spectrum(m, mu), at_L = spectrum(m, L);
  CHECK((w.rho == at_mu.rho || w.rho == at_L.rho));
  CHECK(w.rho >= max(at_mu.rho, at_L.rho) - 16 * epsilon<S>() * max(S(1), w.rho));
  CHECK(w.lambda_min == mu);
  CHECK(w.lambda_max == L);
  REQUIRE_FALSE(w.worst_eigenvalues.empty());
  for (const S& x : w.worst_eigenvalues) {
    CHECK((x == mu || x == L));
    CHECK(abs(spectral_radius(m, x) - w.rho) <= 16 * epsilon<S>() * max(S(1), w.rho));
  }
  if (w.worst_eigenvalues.size() == 2) ++st.ties;
  const S end_error = max(radius_error(at_mu), radius_error(at_L));

  // 2. No eigenvalue and no grid point above it.
  for (const S& x : lambdas) {
    const Spectrum<S> sp = spectrum(m, x);
    INFO("eigenvalue " << test::str(x, 20) << ": rho = " << test::str(sp.rho, 20) << " +- "
                       << test::str(radius_error(sp), 3));
    CHECK(sp.rho <= w.rho + radius_error(sp) + end_error);
  }
  std::vector<S> rho(grid.size()), err(grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const Spectrum<S> sp = spectrum(m, grid[k]);
    rho[k] = sp.rho;
    err[k] = radius_error(sp);
    if (k > 0 && k + 1 < grid.size()) st.inside_regimes.add(sp.regime);
    INFO("grid point " << test::str(grid[k], 20) << ": rho = " << test::str(sp.rho, 20) << " +- "
                       << test::str(err[k], 3));
    CHECK(rho[k] <= w.rho + err[k] + end_error);
  }
  // 3. Quasi-convexity on the grid: rho_k <= max(min_{j<k} rho_j, min_{j>k} rho_j).
  const std::size_t G = grid.size();
  std::vector<S> right_min(G);
  right_min[G - 1] = rho[G - 1] + err[G - 1];
  for (std::size_t k = G - 1; k-- > 0;) right_min[k] = min(right_min[k + 1], S(rho[k] + err[k]));
  S left_min = rho[0] + err[0];
  for (std::size_t k = 1; k + 1 < G; ++k) {
    INFO("grid point " << k << " (" << test::str(grid[k], 20)
                       << "): rho = " << test::str(rho[k], 20) << ", smallest to the left "
                       << test::str(left_min, 20) << ", to the right "
                       << test::str(right_min[k + 1], 20));
    CHECK(rho[k] - err[k] <= max(left_min, right_min[k + 1]));
    ++st.grid_checks;
    left_min = min(left_min, S(rho[k] + err[k]));
  }
}

/// A grid over [mu, L]: 24 points evenly spaced and 24 geometrically, merged, with both ends.
std::vector<double> grid_over(double mu, double L) {
  std::vector<double> g;
  const int half = grid_points / 2;
  for (int k = 0; k < half; ++k) {
    const double f = static_cast<double>(k) / (half - 1);
    g.push_back(mu + (L - mu) * f);
    g.push_back(mu * std::pow(L / mu, f));
  }
  for (double& x : g) x = std::min(std::max(x, mu), L);
  g.front() = mu;
  g.push_back(L);
  std::sort(g.begin(), g.end());
  g.erase(std::unique(g.begin(), g.end()), g.end());
  return g;
}

template <class Method>
void run_method(std::uint64_t stream) {
  const std::uint64_t seed = property::seed(default_seed);
  const long long n = property::base_cases();
  Stats st;
  for (long long i = 0; i < n; ++i) {
    Rng r(seed, stream, static_cast<std::uint64_t>(i));
    const double mu = std::exp2(r.uniform(-6, 6));
    const double kappa = r.chance(0.05) ? 1.0 : r.decade(0, 6);
    const double L = mu * kappa;
    const Method m = draw(static_cast<const Method*>(nullptr), mu, L, r, st);
    std::vector<double> lambdas = {L, mu};
    const int extra = static_cast<int>(r.integer(0, 30));
    for (int k = 0; k < extra; ++k)
      lambdas.push_back(std::min(L, std::max(mu, mu * std::pow(kappa, r.unit()))));
    if (r.chance(0.1)) lambdas.push_back(mu);  // a repeated end point
    std::swap(lambdas[0], lambdas[static_cast<std::size_t>(
                              r.integer(0, static_cast<long long>(lambdas.size()) - 1))]);
    INFO(property::where(seed, i) << " (" << std::string(Method::name)
                                  << "): mu = " << test::str(mu, 17) << ", L = " << test::str(L, 17)
                                  << ", " << property::params(m));
    check_spectrum(m, lambdas, grid_over(mu, L), st);
  }
  MESSAGE(std::string(Method::name) << " (seed " << seed << "): " << n
                                    << " spectra; regime of the worst end: " << st.end_regimes.str()
                                    << " | inside the grid: " << st.inside_regimes.str()
                                    << " | parameters: " << st.draws.str() << " | ties " << st.ties
                                    << ", quasi-convexity checks " << st.grid_checks);
  const auto share = [&](long long k) { return static_cast<double>(k) / static_cast<double>(n); };
  const std::vector<Regime> regimes = property::regimes_of<Method>();
  for (Regime reg : regimes) {
    INFO("regime of the worst end " << std::string(to_string(reg)) << ": " << st.end_regimes[reg]);
    CHECK(share(st.end_regimes[reg]) >= 0.03);
  }
  CHECK(share(st.ties) >= 0.05);
}

// ---------------------------------------------------------------------------------------------
// Exact tunings at 50 digits.

using H = mpfr_float;  // 50 digits (doctest_main.cpp)
using Q = boost::multiprecision::mpq_rational;

H to_h(const Q& q) { return H(q); }

/// 32 rational points strictly inside [mu, L] plus the ends, at 50 digits.
std::vector<H> rational_grid(const Q& mu, const Q& L) {
  std::vector<H> g;
  for (int k = 0; k <= 32; ++k) g.push_back(to_h(mu + (L - mu) * Q(k) / Q(32)));
  return g;
}

void run_exact() {
  using std::abs;
  const std::uint64_t seed = property::seed(default_seed);
  const long long n = property::scaled_cases(100);
  Stats st;
  const H eps = epsilon<H>();
  for (long long i = 0; i < n; ++i) {
    Rng r(seed, 9, static_cast<std::uint64_t>(i));
    const long long a = r.integer(1, 60), b = a + r.integer(1, 60);
    INFO(property::where(seed, i) << ": sqrt(mu) = " << a << ", sqrt(L) = " << b);
    const Q mu = Q(a * a), L = Q(b * b);
    std::vector<H> lambdas = {to_h(mu), to_h(L)};
    for (int k = 0; k < 6; ++k)
      lambdas.push_back(to_h(mu + (L - mu) * Q(r.integer(1, 999)) / Q(1000)));
    const std::vector<H> grid = rational_grid(mu, L);
    {
      // Heavy ball, alpha = 4/(a + b)^2, beta = ((b - a)/(b + a))^2: mu and L are exact double
      // roots with rho = (b - a)/(b + a); the inside is complex with rho = sqrt(beta), the same.
      const Q rate = Q(b - a) / Q(b + a);
      const HeavyBall<H> m(to_h(Q(4) / Q((a + b) * (a + b))), to_h(rate * rate));
      INFO("heavy ball, exact rate " << rate);
      check_spectrum(m, lambdas, grid, st);
      const WorstCase<H> w = worst_case(m, to_h(mu), to_h(L));
      CHECK(w.regime == Regime::critical);
      CHECK(w.at_min.double_root);
      CHECK(w.at_max.double_root);
      CHECK(w.worst_eigenvalues.size() == 2);
      CHECK(abs(w.rho - to_h(rate)) <= 8 * eps);
      for (std::size_t k = 1; k + 1 < grid.size(); ++k)
        CHECK(spectrum(m, grid[k]).regime == Regime::complex);
    }
    {
      // Gradient descent, eta = 2/(mu + L): both ends at rho = (L - mu)/(L + mu).
      const Q rate = (L - mu) / (L + mu);
      const GradientDescent<H> m(to_h(Q(2) / (mu + L)));
      INFO("gradient descent, exact rate " << rate);
      check_spectrum(m, lambdas, grid, st);
      const WorstCase<H> w = worst_case(m, to_h(mu), to_h(L));
      CHECK(w.worst_eigenvalues.size() == 2);
      CHECK(abs(w.rho - to_h(rate)) <= 8 * eps);
    }
    {
      // Nesterov, alpha = 4/(3L + mu), beta = (c - 2)/(c + 2) with c = sqrt(3 kappa + 1): take
      // mu = 3, L = c^2 - 1 (c not a multiple of 3); rate 1 - 2/c at both ends.
      const long long c = 3 * r.integer(1, 30) + r.integer(1, 2);
      const Q mu3 = 3, Lc = Q(c * c - 1), rate = 1 - Q(2) / Q(c);
      const Nesterov<H> m(to_h(Q(4) / (3 * Lc + mu3)), to_h(Q(c - 2) / Q(c + 2)));
      INFO("Nesterov, c = " << c << ", exact rate " << rate);
      std::vector<H> nl = {to_h(mu3), to_h(Lc)};
      for (int k = 0; k < 6; ++k)
        nl.push_back(to_h(mu3 + (Lc - mu3) * Q(r.integer(1, 999)) / Q(1000)));
      check_spectrum(m, nl, rational_grid(mu3, Lc), st);
      const WorstCase<H> w = worst_case(m, to_h(mu3), to_h(Lc));
      CHECK(abs(w.rho - to_h(rate)) <= 8 * eps);
      CHECK(w.worst_eigenvalues.size() == 2);
    }
  }
  MESSAGE("exact tunings at 50 digits (seed "
          << seed << "): " << n
          << " spectra per method; regime of the worst end: " << st.end_regimes.str()
          << " | inside: " << st.inside_regimes.str() << " | ties " << st.ties);
  CHECK(st.ties == 3 * n);
}

}  // namespace endpoints
}  // namespace

TEST_CASE("the worst case over a spectrum is at an end point: gradient descent") {
  endpoints::run_method<GradientDescent<double>>(0);
}

TEST_CASE("the worst case over a spectrum is at an end point: heavy ball") {
  endpoints::run_method<HeavyBall<double>>(1);
}

TEST_CASE("the worst case over a spectrum is at an end point: velocity form") {
  endpoints::run_method<Velocity<double>>(2);
}

TEST_CASE("the worst case over a spectrum is at an end point: Nesterov") {
  endpoints::run_method<Nesterov<double>>(3);
}

TEST_CASE("exact tunings at 50 digits: rho at both ends to a few ulps, nothing inside above") {
  endpoints::run_exact();
}
