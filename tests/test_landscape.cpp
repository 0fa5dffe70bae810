// Tests for landscape.hpp: every grid point equals worst_case(...).rho, across the convergence
// boundary, for beta < 0 and beta >= 1, at and next to double roots (where the closed form's
// error model decides the branch), at extreme magnitudes, with any number of threads; the grid's
// layout; the tuned (critical) points in rational arithmetic at high precision; the Python
// baseline's checksum; and bad input.
#include "test_support.hpp"

#include <momentum/landscape.hpp>
#include <momentum/regions.hpp>
#include <momentum/tuning.hpp>

#include <cmath>
#include <cstring>
#include <vector>

using namespace momentum;
using test::check_invalid;

namespace {

template <template <class> class M, class T>
M<T> make(const T& step, const T& beta) {
  if constexpr (std::is_same_v<M<T>, GradientDescent<T>>) return M<T>(step);
  else return M<T>(step, beta);
}

/// The difference allowed between rate_landscape and worst_case at one point: none. Both
/// evaluate the same closed forms by the same correctly rounded operations in the same order
/// (the generic path calls spectrum.hpp's own polynomial functions; the double path repeats
/// their operations lane by lane), so the results agree bit for bit.
/// The exception is a compiler that contracts a * b + c into a fused multiply-add (x86-64 with
/// FMA enabled, e.g. -march=native; AArch64): it may do so in the scalar reference and not in
/// the vector code. Then each operation may differ by an ulp, and the tie test between the two
/// ends by its 16 epsilon: 32 eps max(1, rho); plus each end's own error bound rho_error, and
/// at a double root sqrt(discriminant_error): where the discriminant is within its error bound
/// of 0, a one-ulp change may move the point between the double-root branch (|p|/2) and the
/// real one (|p|/2 + sqrt(delta)/2), the root's own ill-conditioning (SPEC section 3).
template <class T>
T allowed(const WorstCase<T>& w) {
#if defined(__FMA__) || defined(__FP_FAST_FMA)
  if constexpr (std::is_same_v<T, double>) {
    using std::max;
    using std::sqrt;
    T tol = 32 * epsilon<T>() * max(T(1), w.rho);
    for (const Spectrum<T>* end : {&w.at_min, &w.at_max})
      tol += end->rho_error + (end->double_root ? T(sqrt(end->discriminant_error)) : T(0));
    return tol;
  }
#endif
  (void)w;
  return T(0);
}

/// Bitwise equality of two doubles (NaN included), or, with FMA contraction, within allowed().
bool agrees(double x, const WorstCase<double>& w) {
  if (std::memcmp(&x, &w.rho, sizeof x) == 0) return true;
  if (std::isnan(x) || std::isnan(w.rho)) return false;
  return std::abs(x - w.rho) <= allowed(w);
}
template <class T>
bool agrees(const T& x, const WorstCase<T>& w) {
  using std::abs;
  return x == w.rho || abs(x - w.rho) <= allowed(w);
}

/// Compares every point of rate_landscape<M> with worst_case; returns the number of double-root
/// ends seen (to show the grid reached them).
template <template <class> class M, class T>
int matches_worst_case(const Vector<T>& steps, const Vector<T>& betas, const T& mu, const T& L,
                       unsigned threads = 1) {
  const Matrix<T> rho = rate_landscape<M>(steps, betas, mu, L, threads);
  REQUIRE(rho.rows() == steps.size());
  REQUIRE(rho.cols() == betas.size());
  int failures = 0, double_roots = 0;
  for (Eigen::Index j = 0; j < betas.size(); ++j)
    for (Eigen::Index i = 0; i < steps.size(); ++i) {
      const WorstCase<T> w = worst_case(make<M>(T(steps(i)), T(betas(j))), mu, L);
      double_roots += w.at_min.double_root + w.at_max.double_root;
      if (agrees(T(rho(i, j)), w)) continue;
      if (++failures > 5) continue;  // report the first few
      INFO(M<T>::name << " step " << test::str(steps(i), 25) << " beta " << test::str(betas(j), 25)
                      << " mu " << test::str(mu) << " L " << test::str(L));
      INFO("landscape " << test::str(rho(i, j), 25) << " worst_case " << test::str(w.rho, 25));
      CHECK(agrees(T(rho(i, j)), w));
    }
  CHECK(failures == 0);
  return double_roots;
}

template <class T>
Vector<T> linspace(const T& lo, const T& hi, Eigen::Index n) {
  Vector<T> v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = T(lo + (hi - lo) * T(i) / T(n - 1));
  v(n - 1) = hi;
  return v;
}

template <class T>
Vector<T> from(const std::vector<T>& x) {
  Vector<T> v(Eigen::Index(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) v(Eigen::Index(i)) = x[i];
  return v;
}

}  // namespace

TEST_CASE_TEMPLATE("rate_landscape equals worst_case at every grid point", T, MOMENTUM_SCALARS) {
  const T mu = T(3) / 10, L = T(70);
  // Steps from negative to past every method's convergence limit (2(1 + beta)/L up to
  // beta = 1.3; GD's 2/L; Nesterov's (2 + 2 beta)/((1 + 2 beta) L)); betas from -1.3 to 1.3
  // with -1, 0 and 1 exactly. 41 and 27 points: packets and a scalar tail in the double path.
  const Vector<T> steps = linspace(T(-2) / 1000, T(7) / 100, 41);
  Vector<T> betas = linspace(T(-13) / 10, T(13) / 10, 27);
  betas(4) = -1;
  betas(13) = 0;
  betas(22) = 1;
  matches_worst_case<GradientDescent>(steps, betas, mu, L);
  matches_worst_case<HeavyBall>(steps, betas, mu, L);
  matches_worst_case<Velocity>(steps, betas, mu, L);
  matches_worst_case<Nesterov>(steps, betas, mu, L);
  // A one-point spectrum (kappa = 1) and a one-point grid.
  matches_worst_case<HeavyBall>(steps, betas, L, L);
  matches_worst_case<Nesterov>(steps, betas, mu, mu);
  matches_worst_case<HeavyBall>(from<T>({T(1) / 50}), from<T>({T(1) / 2}), mu, L);
}

TEST_CASE_TEMPLATE("the landscape straddles the convergence boundary where regions.hpp puts it", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  const T mu = T(1), L = T(4);
  const Vector<T> steps = linspace(T(-1) / 10, T(1), 23);
  const Vector<T> betas = linspace(T(-11) / 10, T(11) / 10, 23);
  const Matrix<T> hb = rate_landscape<HeavyBall>(steps, betas, mu, L);
  const Matrix<T> nes = rate_landscape<Nesterov>(steps, betas, mu, L);
  const T margin = test::ulps<T>(64);
  int inside = 0, outside = 0;
  for (Eigen::Index j = 0; j < betas.size(); ++j)
    for (Eigen::Index i = 0; i < steps.size(); ++i) {
      const HeavyBall<T> h(steps(i), betas(j));
      const Nesterov<T> n(steps(i), betas(j));
      INFO("step " << test::str(steps(i)) << " beta " << test::str(betas(j)));
      // Schur-Jury (exact predicates) against the radius, away from rho = 1.
      if (hb(i, j) < 1 - margin) CHECK((converges(h, mu) && converges(h, L)));
      if (hb(i, j) > 1 + margin) CHECK_FALSE((converges(h, mu) && converges(h, L)));
      if (nes(i, j) < 1 - margin) CHECK((converges(n, mu) && converges(n, L)));
      if (nes(i, j) > 1 + margin) CHECK_FALSE((converges(n, mu) && converges(n, L)));
      (hb(i, j) < 1 ? inside : outside) += 1;
    }
  CHECK(inside > 50);
  CHECK(outside > 50);
  // On the boundary itself: alpha L = 2(1 + beta) with beta = 1/2, L = 4, alpha = 3/4 (exact):
  // the roots at L are -1 and -beta, rho = 1.
  const Matrix<T> edge =
      rate_landscape<HeavyBall>(from<T>({T(3) / 4}), from<T>({T(1) / 2}), mu, L);
  CHECK(abs(edge(0, 0) - 1) <= test::ulps<T>(4));
  CHECK(edge(0, 0) == worst_case(HeavyBall<T>(T(3) / 4, T(1) / 2), mu, L).rho);
}

namespace {
/// One point (step, beta) of extreme magnitude: rate_landscape and worst_case both throw
/// std::overflow_error (the point's polynomial overflows double), or both give the same bits.
/// Returns 1 when they threw.
template <template <class> class M>
int extreme_point(double step, double beta, double mu, double L) {
  bool landscape_threw = false, worst_threw = false;
  double rho = 0;
  WorstCase<double> w{};
  try {
    rho = rate_landscape<M>(from<double>({step}), from<double>({beta}), mu, L)(0, 0);
  } catch (const std::overflow_error&) {
    landscape_threw = true;
  }
  try {
    w = worst_case(make<M>(step, beta), mu, L);
  } catch (const std::overflow_error&) {
    worst_threw = true;
  }
  INFO(M<double>::name << " step " << step << " beta " << beta);
  CHECK(landscape_threw == worst_threw);
  if (!landscape_threw && !worst_threw) CHECK(agrees(rho, w));
  return landscape_threw ? 1 : 0;
}
}  // namespace

TEST_CASE("the double path agrees bit for bit next to double roots and at extreme magnitudes") {
  // For each beta, steps that put s = step * lambda on a double root of either end (heavy ball:
  // s = (1 -+ sqrt beta)^2; Nesterov: q = 4 beta/(1 + beta)^2, and q = 0) and 1-3 ulps and
  // 1e-13, 1e-9 relative off it: both sides of the error model's decision, and both sides of the
  // vector code's screen. Extreme steps and betas, whose discriminant overflows double, are
  // checked point by point at the end: there both sides throw std::overflow_error (a grid with
  // one such point throws as a whole).
  const double mu = 0.3, L = 70;
  std::vector<double> beta_list = {0,    -0.0,   1,     -1,      2,       0.25,   0.5,
                                   1e-300, -1e-300, 1 - 1e-12, 1e50, -1e50};
  std::mt19937_64 g(7);
  for (int k = 0; k < 24; ++k) beta_list.push_back(test::uniform<double>(g, -0.2, 1.2));
  std::vector<double> hb_steps, nes_steps;
  auto around = [](std::vector<double>& out, double x) {
    if (!std::isfinite(x)) return;
    for (int d = -3; d <= 3; ++d) {
      double y = x;
      for (int k = 0; k < std::abs(d); ++k) y = std::nextafter(y, d < 0 ? -HUGE_VAL : HUGE_VAL);
      out.push_back(y);
    }
    for (double r : {1e-13, -1e-13, 1e-9, -1e-9}) out.push_back(x * (1 + r));
  };
  for (double b : beta_list) {
    if (!(b >= 0) || !std::isfinite((1 + std::sqrt(b)) * (1 + std::sqrt(b)))) continue;
    const double sb = std::sqrt(b), lo_root = (1 - b) / (1 + sb);
    const double q_critical = 4 * b / ((1 + b) * (1 + b));
    for (double lambda : {mu, L, 2.0}) {  // 2: the one-point spectrum below
      around(hb_steps, lo_root * lo_root / lambda);
      around(hb_steps, (1 + sb) * (1 + sb) / lambda);
      around(nes_steps, (1 - q_critical) / lambda);
      around(nes_steps, 1 / lambda);
    }
  }
  for (double x : {0.0, -0.0, 1e-310, -1e-310, 1e-5, 0.03, 1e50, -1e50}) {
    hb_steps.push_back(x);
    nes_steps.push_back(x);
  }
  const Vector<double> hb = from(hb_steps), nes = from(nes_steps), betas = from(beta_list);
  CHECK(matches_worst_case<HeavyBall>(hb, betas, mu, L, 2) > 100);
  CHECK(matches_worst_case<Velocity>(hb, betas, mu, L) > 100);
  CHECK(matches_worst_case<Nesterov>(nes, betas, mu, L, 3) > 100);
  matches_worst_case<Nesterov>(hb, betas, mu, L);
  matches_worst_case<HeavyBall>(nes, betas, mu, L);
  matches_worst_case<GradientDescent>(hb, betas, mu, L);
  // One eigenvalue: no other end hides a wrong radius at a double root (Nesterov's q = 0 gives
  // rho = 0 there, its neighbours about sqrt(beta q)).
  CHECK(matches_worst_case<HeavyBall>(hb, betas, 2.0, 2.0) > 100);
  CHECK(matches_worst_case<Nesterov>(nes, betas, 2.0, 2.0) > 100);
  // Extreme magnitudes, point by point.
  int threw = 0;
  for (double step : {1e300, -1e300, 1.7e308, -1.7e308, 1e154, 0.03, 1e-5})
    for (double beta : {1e154, 1e300, -1e300, 1.7e308, -1.7e308, 0.0, 0.5}) {
      threw += extreme_point<HeavyBall>(step, beta, mu, L);
      threw += extreme_point<Velocity>(step, beta, mu, L);
      threw += extreme_point<Nesterov>(step, beta, mu, L);
      threw += extreme_point<GradientDescent>(step, beta, mu, L);
    }
  CHECK(threw > 50);
}

TEST_CASE("the double path agrees with worst_case on random grids") {
  std::mt19937_64 g(20261201);
  INFO("seed 20261201");
  for (int k = 0; k < 6; ++k) {
    const double mu = test::uniform<double>(g, 0.01, 2);
    const double L = mu * test::uniform<double>(g, 1, 1e4);
    Vector<double> steps(61 + k), betas(17);
    for (Eigen::Index i = 0; i < steps.size(); ++i) steps(i) = test::uniform<double>(g, -0.1, 4.5) / L;
    for (Eigen::Index j = 0; j < betas.size(); ++j) betas(j) = test::uniform<double>(g, -1.2, 1.2);
    matches_worst_case<HeavyBall>(steps, betas, mu, L, unsigned(k % 3));
    matches_worst_case<Nesterov>(steps, betas, mu, L, unsigned(k % 3));
  }
}

TEST_CASE_TEMPLATE("tuned methods: exact double roots at both ends, in rational arithmetic", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  // SPEC section 6, mu = 1, L = 100: heavy ball alpha = 4/121, beta = 81/121 puts both ends on a
  // double root (s = (1 -+ 9/11)^2), rate 9/11. The inputs are the rationals rounded to T; the
  // error model classifies them as double roots and gives |tau|/2 to a few ulps, where the naive
  // (|tau| + sqrt(delta))/2 is off by about sqrt(epsilon).
  const T mu = 1, L = 100;
  const T alpha = parse<T>("4/121"), beta = parse<T>("81/121");
  Vector<T> steps(5), betas(3);
  steps << T(alpha * (1 - test::ulps<T>(4))), T(alpha * (1 - test::ulps<T>(1))), alpha,
      T(alpha * (1 + test::ulps<T>(1))), T(alpha * (1 + test::ulps<T>(4)));
  betas << T(beta * (1 - test::ulps<T>(2))), beta, T(beta * (1 + test::ulps<T>(2)));
  CHECK(matches_worst_case<HeavyBall>(steps, betas, mu, L) > 0);
  CHECK(matches_worst_case<Velocity>(steps, betas, mu, L) > 0);
  const Matrix<T> hb = rate_landscape<HeavyBall>(steps, betas, mu, L);
  const WorstCase<T> w = worst_case(HeavyBall<T>(alpha, beta), mu, L);
  CHECK(w.at_min.double_root);
  CHECK(w.at_max.double_root);
  CHECK(w.worst_eigenvalues.size() == 2);  // the two ends tie
  INFO("rho " << test::str(hb(2, 1), 40));
  CHECK(abs(hb(2, 1) - T(9) / 11) <= test::ulps<T>(8));
  // The optimum of the grid is the tuned point (rho grows off it in every direction).
  Eigen::Index bi = -1, bj = -1;
  hb.minCoeff(&bi, &bj);
  CHECK(abs(hb(bi, bj) - T(9) / 11) <= test::ulps<T>(8));

  // Nesterov's tuning 4/(3L + mu), its rate 1 - 2/sqrt(3 kappa + 1) (exact; 16 ulps as in
  // test_tuning), and gradient descent's 2/(mu + L) where both ends tie at (L - mu)/(L + mu).
  const auto n = optimal_nesterov(mu, L);
  const Matrix<T> nes =
      rate_landscape<Nesterov>(from<T>({n.method.alpha}), from<T>({n.method.beta}), mu, L);
  CHECK(nes(0, 0) == worst_case(n.method, mu, L).rho);
  CHECK(abs(nes(0, 0) - n.rate) <= test::ulps<T>(16));
  const T eta = parse<T>("2/101");
  const Matrix<T> gd = rate_landscape<GradientDescent>(from<T>({eta}), from<T>({T(0)}), mu, L);
  CHECK(abs(gd(0, 0) - T(99) / 101) <= test::ulps<T>(8));
  CHECK(gd(0, 0) == worst_case(GradientDescent<T>(eta), mu, L).rho);
}

TEST_CASE_TEMPLATE("layout: rho(i, j) is the point (steps(i), betas(j))", T, MOMENTUM_SCALARS) {
  using std::abs;
  const T mu = T(1), L = T(10);
  const Vector<T> steps = from<T>({T(1) / 100, T(1) / 20, T(1) / 10});
  const Vector<T> betas = from<T>({T(-1) / 2, T(0), T(1) / 4, T(1) / 2, T(9) / 10});
  const Matrix<T> rho = rate_landscape<HeavyBall>(steps, betas, mu, L);
  REQUIRE(rho.rows() == 3);
  REQUIRE(rho.cols() == 5);
  // alpha = 1/10, beta = 1/4: at mu, s = 1/10 (real roots); at L, s = 1 lies in the complex
  // range ((1 - 1/2)^2, (1 + 1/2)^2): rho = 1/2 there, and the real end's radius at mu is
  // (1.15 + sqrt(1.15^2 - 1))/2 = 0.85894...
  CHECK(rho(2, 2) == worst_case(HeavyBall<T>(T(1) / 10, T(1) / 4), mu, L).rho);
  CHECK(abs(rho(2, 2) - test::ref<T>("0.85894541729001368054461689919961782205706809271988")) <=
        test::ulps<T>(8));
  CHECK(rho(0, 4) == worst_case(HeavyBall<T>(T(1) / 100, T(9) / 10), mu, L).rho);
  CHECK(rho(0, 4) != rho(2, 2));
  // Gradient descent ignores beta: equal columns.
  const Matrix<T> gd = rate_landscape<GradientDescent>(steps, betas, mu, L);
  for (Eigen::Index j = 1; j < gd.cols(); ++j) CHECK(gd.col(j) == gd.col(0));
  CHECK(gd(1, 0) == worst_case(GradientDescent<T>(T(1) / 20), mu, L).rho);
}

TEST_CASE_TEMPLATE("threads split the betas without changing a bit", T, double, long double,
                   momentum::float50) {
  const T mu = T(1) / 2, L = T(40);
  const Vector<T> steps = linspace(T(0), T(1) / 10, 19);
  const Vector<T> betas = linspace(T(-1) / 2, T(1), 11);
  const Matrix<T> one = rate_landscape<Nesterov>(steps, betas, mu, L, 1);
  for (unsigned threads : {0u, 2u, 3u, 11u, 64u}) {
    INFO("threads " << threads);
    CHECK(rate_landscape<Nesterov>(steps, betas, mu, L, threads) == one);
    CHECK(rate_landscape<HeavyBall>(steps, betas, mu, L, threads) ==
          rate_landscape<HeavyBall>(steps, betas, mu, L, 1));
  }
}

TEST_CASE("the Python baseline's 512 x 512 heavy-ball landscape and its checksum") {
  // ../shared/baselines/baseline.py landscape: alphas = linspace(0, 4/L, 512), betas =
  // linspace(0, 0.999, 512), mu = 1, L = 1e4, numpy's naive closed form. Its checksum:
  // minrho=0.980742160769068; argmin_ab=(0.000371037|0.961855); sum=313891.742036127.
  // An independent implementation: the minimum agrees to print precision, the sum to 1e-13
  // (summation order; numpy has no error model at double roots).
  const Eigen::Index n = 512;
  Vector<double> alphas(n), betas(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    alphas(i) = double(i) * ((4.0 / 1e4) / double(n - 1));  // numpy: arange * step + start
    betas(i) = double(i) * (0.999 / double(n - 1));
  }
  alphas(n - 1) = 4.0 / 1e4;
  betas(n - 1) = 0.999;
  const Matrix<double> rho = rate_landscape<HeavyBall>(alphas, betas, 1.0, 1e4, 2);
  Eigen::Index i = -1, j = -1;
  const double best = rho.minCoeff(&i, &j);
  CHECK(std::abs(best - 0.980742160769068) <= 1e-15);
  CHECK(std::abs(alphas(i) - 0.000371037) <= 5e-10);
  CHECK(std::abs(betas(j) - 0.961855) <= 5e-7);
  CHECK(std::abs(rho.sum() - 313891.742036127) <= 1e-13 * 313891.742036127);
  CHECK(best == worst_case(HeavyBall<double>(alphas(i), betas(j)), 1.0, 1e4).rho);
}

TEST_CASE_TEMPLATE("rate_landscape rejects bad input, naming the argument", T, MOMENTUM_SCALARS) {
  const Vector<T> ok = from<T>({T(1) / 10, T(1) / 5});
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  const T one = 1, two = 2;
  check_invalid([&] { (void)rate_landscape<HeavyBall>(Vector<T>(), ok, one, two); },
                {"rate_landscape", "steps", "empty"});
  check_invalid([&] { (void)rate_landscape<Nesterov>(ok, Vector<T>(), one, two); },
                {"rate_landscape", "betas", "empty"});
  check_invalid([&] { (void)rate_landscape<HeavyBall>(from<T>({T(1), T(2), nan}), ok, one, two); },
                {"steps", "finite", "index 2"});
  check_invalid([&] { (void)rate_landscape<Velocity>(ok, from<T>({inf}), one, two); },
                {"betas", "finite", "index 0"});
  check_invalid([&] { (void)rate_landscape<GradientDescent>(ok, from<T>({T(-inf)}), one, two); },
                {"betas", "finite"});
  check_invalid([&] { (void)rate_landscape<HeavyBall>(ok, ok, T(0), two); }, {"mu", "positive"});
  check_invalid([&] { (void)rate_landscape<HeavyBall>(ok, ok, T(-1), two); }, {"mu", "positive"});
  check_invalid([&] { (void)rate_landscape<HeavyBall>(ok, ok, nan, two); }, {"mu", "finite"});
  check_invalid([&] { (void)rate_landscape<HeavyBall>(ok, ok, one, inf); }, {"L", "finite"});
  check_invalid([&] { (void)rate_landscape<Nesterov>(ok, ok, two, one); }, {"L", "at least mu"});
}

TEST_CASE("a grid reaching past double's range throws std::overflow_error, not wrong radii") {
  // Regression: `momentum landscape --alpha 1e-10:1e10` on [1, 1e300] printed rho = 5e+289 at
  // alpha*L = 1e290 (a "double root" made of an infinite discriminant; the truth is 1e290) and
  // 9999999999 at alpha*L = inf (the NaN end was dropped).
  const Vector<double> betas = from<double>({0.0, 0.5});
  bool thrown = false;
  try {
    (void)rate_landscape<HeavyBall>(from<double>({1e-10, 1.0, 1e10}), betas, 1.0, 1e300);
  } catch (const std::overflow_error& e) {
    thrown = true;
    CHECK(std::string(e.what()).find("heavy_ball") != std::string::npos);
  }
  CHECK(thrown);
  CHECK_THROWS_AS((void)rate_landscape<Nesterov>(from<double>({1e200}), betas, 1.0, 1e200),
                  std::overflow_error);
  CHECK_THROWS_AS((void)rate_landscape<GradientDescent>(from<double>({1e300}), betas, 1.0, 1e300),
                  std::overflow_error);
  CHECK_THROWS_AS((void)rate_landscape<Velocity>(from<double>({0.1}), from<double>({1e200}), 1.0, 2.0),
                  std::overflow_error);
  // Large but representable grids still agree with worst_case bit for bit: on the vectorized
  // path (alpha*L up to 1e150), and on the checked scalar one it falls back to from about 1e152.
  for (const double top : {1e75, 1e153}) {
    const Vector<double> steps = from<double>({1e-80, 1e-70, 1e70, top});
    const double L = top == 1e75 ? 1e75 : 1.0;
    const Matrix<double> rho = rate_landscape<HeavyBall>(steps, betas, 1.0, L, 0);
    for (Eigen::Index i = 0; i < steps.size(); ++i)
      for (Eigen::Index j = 0; j < betas.size(); ++j)
        CHECK(rho(i, j) == worst_case(HeavyBall<double>(steps(i), betas(j)), 1.0, L).rho);
    CHECK(std::abs(rho(3, 0) - top * L) <= top * L * 4e-16);
  }
}

// The generic per-point landscape for the two-state family, PyTorch and QHM (SPEC section 11).
TEST_CASE_TEMPLATE("rate_landscape_of: any method on any two axes, = worst_case per point", T, double,
                   momentum::float50) {
  const T mu(1), L(100);
  Vector<T> alphas(5), betas(4);
  alphas << T(1) / 1000, T(1) / 100, T(1) / 50, T(3) / 100, T(1) / 10;
  betas << T(0), T(1) / 2, T(9) / 10, T(11) / 10;
  const T gamma = T(1) / 3;
  const Matrix<T> r = rate_landscape_of<T>(
      [&](Eigen::Index i, Eigen::Index j) { return TwoState<T>(alphas(i), betas(j), gamma); }, 5, 4,
      mu, L);
  for (Eigen::Index i = 0; i < 5; ++i)
    for (Eigen::Index j = 0; j < 4; ++j)
      CHECK(r(i, j) == worst_case(TwoState<T>(alphas(i), betas(j), gamma), mu, L).rho);
  // At gamma = 0 the family's landscape is heavy ball's, to the rounding of its polynomial.
  const Matrix<T> f0 = rate_landscape_of<T>(
      [&](Eigen::Index i, Eigen::Index j) { return TwoState<T>(alphas(i), betas(j), T(0)); }, 5, 4,
      mu, L);
  const Matrix<T> hb = rate_landscape<HeavyBall>(alphas, betas, mu, L);
  CHECK((f0 - hb).cwiseAbs().maxCoeff() <= 64 * epsilon<T>());
  // PyTorch with lr and momentum on the axes, QHM with nu and beta.
  const Matrix<T> p = rate_landscape_of<T>(
      [&](Eigen::Index i, Eigen::Index j) {
        return PyTorchSGD<T>(alphas(i), betas(j), T(1) / 10, T(1) / 2, true);
      },
      5, 4, mu, L);
  const Matrix<T> q = rate_landscape_of<T>(
      [&](Eigen::Index i, Eigen::Index j) { return QHM<T>(T(1) / 100, T(i) / 4, betas(j)); }, 5, 4,
      mu, L);
  for (Eigen::Index i = 0; i < 5; ++i)
    for (Eigen::Index j = 0; j < 4; ++j) {
      const PyTorchSGD<T> sgd(alphas(i), betas(j), T(1) / 10, T(1) / 2, true);
      CHECK(p(i, j) == worst_case(sgd, mu, L).rho);
      CHECK(q(i, j) == worst_case(QHM<T>(T(1) / 100, T(i) / 4, betas(j)), mu, L).rho);
    }
  test::check_invalid([&] { (void)rate_landscape_of<T>([&](Eigen::Index, Eigen::Index) { return TwoState<T>(T(1), T(0), T(0)); }, 0, 4, mu, L); },
                      {"rate_landscape", "grid"});
}
