// Tests for residual.hpp: the residual polynomial p_t(lambda) in closed form equals its scalar
// recurrence and the x-coordinate of simulated iterates from the standard start, for every
// method and regime; the x-error counts and peak equal a brute force over t; the velocity form
// and heavy ball share them although their state matrices' counts differ; from a start the
// count equals iterations_to_tolerance's.
#include "test_support.hpp"

#include <momentum/iterations.hpp>
#include <momentum/residual.hpp>
#include <momentum/residual_interval.hpp>
#include <momentum/tuning.hpp>

#include <cmath>

using namespace momentum;

namespace {

template <class T>
Vector<T> vec(std::initializer_list<const char*> xs) {
  Vector<T> v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (const char* x : xs) v(i++) = test::ref<T>(x);
  return v;
}

/// p_t against the recurrence and against simulate_eigen's z_t from z_0 = 1 (default second
/// state: z_{-1} = z_0, v_0 = 0), for t = 0..T.
template <class T, class Method>
void check_residual(const Method& m, const T& lambda, long long T_end) {
  using std::abs;
  const std::vector<T> seq = residual_sequence(m, lambda, T_end);
  REQUIRE(seq.size() == static_cast<std::size_t>(T_end + 1));
  SimulateOptions o;
  o.steps = T_end;
  o.every_step = true;
  o.record_x = true;
  Vector<T> l(1), z0(1);
  l(0) = lambda;
  z0(0) = T(1);
  const Trajectory<T> tr = simulate_eigen(m, l, z0, Vector<T>(), o);
  T scale(1);
  for (const T& p : seq) scale = std::max(scale, T(abs(p)));
  for (long long t = 0; t <= T_end; ++t) {
    const T closed = residual(m, lambda, t);
    const T tol = test::ulps<T>(64) * T(t + 1) * scale;
    INFO(Method::name << " lambda " << test::str(lambda) << " t " << t << ": closed "
                      << test::str(closed) << ", recurrence " << test::str(seq[t])
                      << ", simulated " << test::str(T(tr.points[t].x(0))));
    CHECK(abs(closed - seq[static_cast<std::size_t>(t)]) <= tol);
    CHECK(abs(T(tr.points[static_cast<std::size_t>(t)].x(0)) - seq[static_cast<std::size_t>(t)]) <= tol);
  }
}

/// first, settled, peak and peak t of r(t) = max_i |p_t(lambda_i)| (or the weighted 2-norm) by
/// the recurrence, for t = 0..T.
template <class T>
struct Brute {
  long long first = -1, settled = 0, peak_t = 0;
  T peak = T(0);
};
template <class T, class Method>
Brute<T> brute(const Method& m, const Vector<T>& lambdas, const Vector<T>& w, const T& eps,
                       long long T_end) {
  std::vector<std::vector<T>> seqs;
  for (Eigen::Index i = 0; i < lambdas.size(); ++i)
    seqs.push_back(residual_sequence(m, T(lambdas(i)), T_end));
  using std::abs;
  using std::sqrt;
  Brute<T> b;
  long long last_above = -1;
  for (long long t = 0; t <= T_end; ++t) {
    T r(0);
    if (w.size() == 0) {
      for (const auto& s : seqs) r = std::max(r, T(abs(s[static_cast<std::size_t>(t)])));
    } else {
      T ss(0);
      for (std::size_t i = 0; i < seqs.size(); ++i) {
        const T v = w(static_cast<Eigen::Index>(i)) * seqs[i][static_cast<std::size_t>(t)];
        ss += v * v;
      }
      r = sqrt(ss) / w.norm();
    }
    if (r > eps) last_above = t;
    else if (b.first < 0) b.first = t;
    if (r > b.peak) {
      b.peak = r;
      b.peak_t = t;
    }
  }
  b.settled = last_above + 1;
  return b;
}

template <class T, class Method>
void check_counts(const Method& m, const Vector<T>& lambdas, const Vector<T>& w, const char* e) {
  const T eps = test::ref<T>(e);
  const XError<T> x = x_error(m, lambdas, eps, w);
  INFO(Method::name << " eps " << e << ": first " << x.count.first << ", settled "
                    << x.count.settled << ", upper " << x.count.upper << ", peak "
                    << test::str(x.peak.peak) << " at " << x.peak.t);
  REQUIRE(x.count.converges);
  REQUIRE(x.count.exact);
  REQUIRE(x.peak.complete);
  using std::abs;
  const Brute<T> b = brute(m, lambdas, w, eps, x.count.upper + 5);
  CHECK(x.count.first == b.first);
  CHECK(x.count.settled == b.settled);
  CHECK(x.count.settled <= x.count.upper);
  CHECK(x.count.ratio_at_first <= eps);
  CHECK(x.peak.t == b.peak_t);
  CHECK(abs(x.peak.peak - b.peak) <= test::ulps<T>(64) * T(b.peak_t + 1) * b.peak);
  CHECK(x.peak_error >= T(0));
}

/// x_error_interval on [mu, L] in T against dense sampling at 50 digits (G + 1 equispaced
/// points, every t up to past the certified tail): the sampled sup never exceeds the upper
/// bounds (the peak, and the error after `first` and from `settled` on); the lower bounds hold
/// below the upper ones. Returns the result for further checks.
template <class T, class Method, class Method50>
XErrorInterval<T> check_interval(const Method& m, const Method50& m50, const char* mu_s,
                                 const char* L_s, const char* e, int G) {
  using std::abs;
  const T mu = test::ref<T>(mu_s), L = test::ref<T>(L_s), eps = test::ref<T>(e);
  const XErrorInterval<T> x = x_error_interval(m, mu, L, eps, 400000000LL);
  INFO(Method::name << " on [" << mu_s << ", " << L_s << "] eps " << e << ": first ["
                    << x.first_lo << ", " << x.first_hi << "], settled [" << x.settled_lo
                    << ", " << x.settled_hi << "], peak [" << test::str(x.peak_lo) << ", "
                    << test::str(x.peak_hi) << "] at " << x.peak_t);
  REQUIRE(x.done);
  REQUIRE(x.converges);
  CHECK(x.first_lo <= x.first_hi);
  CHECK(x.settled_lo <= x.settled_hi);
  CHECK(x.first_hi <= x.settled_hi);
  CHECK(x.peak_lo <= x.peak_hi);
  CHECK(x.peak_lo >= 1);
  const float50 mu50 = test::ref<float50>(mu_s), L50 = test::ref<float50>(L_s);
  const long long T_end = x.settled_hi + 20;
  std::vector<float50> sup(static_cast<std::size_t>(T_end) + 1, float50(0));
  for (int g = 0; g <= G; ++g) {
    const float50 l = mu50 + (L50 - mu50) * g / G;
    const std::vector<float50> seq = residual_sequence(m50, l, T_end);
    for (std::size_t t = 0; t < seq.size(); ++t) sup[t] = std::max(sup[t], float50(abs(seq[t])));
  }
  const float50 peak_hi(x.peak_hi), eps50(eps);
  float50 dense_peak(0);
  long long dense_first = -1, dense_settled = 0;
  for (long long t = 0; t <= T_end; ++t) {
    const float50 v = sup[static_cast<std::size_t>(t)];
    dense_peak = std::max(dense_peak, v);
    if (v > eps50) dense_settled = t + 1;
    else if (dense_first < 0) dense_first = t;
  }
  INFO("dense: first " << dense_first << ", settled " << dense_settled << ", peak "
                       << test::str(dense_peak));
  CHECK(dense_peak <= peak_hi);
  CHECK(dense_first <= x.first_hi);
  CHECK(dense_settled <= x.settled_hi);
  CHECK(sup[static_cast<std::size_t>(x.first_hi)] <= eps50);
  return x;
}

}  // namespace

TEST_CASE_TEMPLATE("x_error_interval brackets sup over [mu, L] of |p_t|: dense sampling at 50 digits",
                   T, MOMENTUM_SCALARS) {
  {
    // Heavy ball alpha 1.12, beta 0.925 on [0.32, 1.84]: the interior exceeds the ends (peak
    // 1.139 at t = 2 against 1.087; first 364 against the ends' 322 at 1e-6).
    const T alpha = test::ref<T>("1.12"), beta = test::ref<T>("0.925"), eps = test::ref<T>("1e-6");
    const HeavyBall<T> hb(alpha, beta);
    const XErrorInterval<T> x = check_interval<T>(
        hb, HeavyBall<float50>(test::ref<float50>("1.12"), test::ref<float50>("0.925")), "0.32",
        "1.84", "1e-6", 3000);
    Vector<T> ends(2);
    ends << test::ref<T>("0.32"), test::ref<T>("1.84");
    const XError<T> e = x_error(hb, ends, eps);
    CHECK(x.peak_lo > e.peak.peak + test::ref<T>("0.05"));
    CHECK(x.first_lo > e.count.first + 30);
  }
  {
    // The tuned heavy ball on [0.01, 50] (its ends, Jordan blocks, are the worst here).
    const auto tuned = optimal_heavy_ball(test::ref<T>("0.01"), test::ref<T>("50"));
    const auto tuned50 = optimal_heavy_ball(test::ref<float50>("0.01"), test::ref<float50>("50"));
    check_interval<T>(tuned.method, tuned50.method, "0.01", "50", "1e-3", 2000);
  }
  {
    // d2l's velocity form eta 0.6, beta 0.5 on [0.2, 4].
    const T eta = test::ref<T>("0.6"), beta = test::ref<T>("0.5");
    const float50 eta50 = test::ref<float50>("0.6"), beta50 = test::ref<float50>("0.5");
    check_interval<T>(Velocity<T>(eta, beta), Velocity<float50>(eta50, beta50), "0.2", "4", "1e-6", 3000);
    check_interval<T>(HeavyBall<T>(eta, beta), HeavyBall<float50>(eta50, beta50), "0.2", "4", "1e-6", 3000);
    check_interval<T>(Nesterov<T>(eta / 4, beta), Nesterov<float50>(eta50 / 4, beta50), "0.2", "4",
                   "1e-6", 3000);
  }
  {
    // Gradient descent: |1 - eta lambda|^t is largest at an end, counts exact.
    const T eta = test::ref<T>("0.45");
    const XErrorInterval<T> x = check_interval<T>(GradientDescent<T>(eta),
                                               GradientDescent<float50>(test::ref<float50>("0.45")),
                                               "0.2", "4", "1e-6", 500);
    CHECK(x.first_lo == x.first_hi);
    CHECK(x.settled_lo == x.settled_hi);
  }
}

TEST_CASE_TEMPLATE("x_error_interval: divergence, a small budget, bad input", T, MOMENTUM_SCALARS) {
  const T mu = test::ref<T>("1"), L = test::ref<T>("30"), eps = test::ref<T>("1e-6");
  const XErrorInterval<T> d = x_error_interval(HeavyBall<T>(T(1) / 10, T(1) / 10), mu, L, eps, 1000000);
  CHECK_FALSE(d.converges);
  CHECK(d.done);
  // kappa 1e6, tuned: the interval's scan needs far more than 10^5 steps.
  const auto tuned = optimal_heavy_ball(T(1), T(1000000));
  CHECK_FALSE(x_error_interval(tuned.method, T(1), T(1000000), eps, 100000).done);
  const HeavyBall<T> m(T(1) / 100, T(1) / 10);
  test::check_invalid([&] { x_error_interval(m, L, mu, eps, 1000); },
                      {"x_error_interval", "mu <= L"});
  test::check_invalid([&] { x_error_interval(m, mu, L, T(2), 1000); },
                      {"x_error_interval", "eps", "below 1"});
}

TEST_CASE_TEMPLATE("p_t in closed form equals the recurrence and the simulated x-error", T,
                   MOMENTUM_SCALARS) {
  const T eta = test::ref<T>("0.1"), beta = test::ref<T>("0.5");
  // eta lambda = 0.2 (complex), 0.005 (real distinct), 2.5 (complex near heavy ball's edge 3;
  // Nesterov and GD diverge) and 1.9 (GD oscillating).
  for (const char* l : {"2", "0.05", "25", "19"}) {
    const T lambda = test::ref<T>(l);
    check_residual(HeavyBall<T>(eta, beta), lambda, 60);
    check_residual(Velocity<T>(eta, beta), lambda, 60);
    check_residual(Nesterov<T>(eta, beta), lambda, 60);
    check_residual(GradientDescent<T>(eta), lambda, 60);
  }
  // A double root: heavy ball beta = 1/4, alpha lambda = 1/4 (z = 1/2, Jordan block).
  check_residual(HeavyBall<T>(T(1) / 4, T(1) / 4), T(1), 60);
  // Nesterov's double root q = 4 beta/(1 + beta)^2: beta = 1/3, q = 3/4, alpha lambda = 1/4.
  check_residual(Nesterov<T>(T(1) / 4, T(1) / 3), T(1), 60);
}

TEST_CASE_TEMPLATE("the x-error's counts and peak equal a brute force over t", T, MOMENTUM_SCALARS) {
  const Vector<T> lambdas = vec<T>({"0.01", "0.3", "2", "5"});
  const T eta = test::ref<T>("0.2"), beta = test::ref<T>("0.8");
  const std::vector<const char*> tols =
      std::numeric_limits<T>::digits10 > 30 ? std::vector<const char*>{"1e-6", "1e-30"}
                                            : std::vector<const char*>{"1e-6", "1e-12"};
  for (const char* e : tols) {
    check_counts(HeavyBall<T>(eta, beta), lambdas, Vector<T>(), e);
    check_counts(Velocity<T>(eta, beta), lambdas, Vector<T>(), e);
    check_counts(Nesterov<T>(eta, beta), lambdas, Vector<T>(), e);
    check_counts(GradientDescent<T>(eta), lambdas, Vector<T>(), e);
    check_counts(HeavyBall<T>(eta, beta), lambdas, vec<T>({"1", "-2", "0", "0.5"}), e);
  }
  // The tuned heavy ball on [1, 100]: both ends critical (Jordan blocks), transient above 1.
  const auto tuned = optimal_heavy_ball(T(1), T(100));
  check_counts(tuned.method, vec<T>({"1", "100"}), Vector<T>(), "1e-6");
  const XError<T> x = x_error(tuned.method, vec<T>({"1", "100"}), test::ref<T>("1e-6"));
  CHECK(x.peak.peak > 1);
}

TEST_CASE_TEMPLATE("velocity form and heavy ball: the same x-error, different ||M^t||", T,
                   MOMENTUM_SCALARS) {
  // The case of issue 18: eigenvalues 0.01 and 50, eta = 0.01, beta = 0.9.
  const Vector<T> lambdas = vec<T>({"0.01", "50"});
  const T eta = test::ref<T>("0.01"), beta = test::ref<T>("0.9"), eps = test::ref<T>("1e-6");
  const XError<T> v = x_error(Velocity<T>(eta, beta), lambdas, eps);
  const XError<T> h = x_error(HeavyBall<T>(eta, beta), lambdas, eps);
  CHECK(v.count.first == h.count.first);
  CHECK(v.count.settled == h.count.settled);
  CHECK(v.peak.t == h.peak.t);
  CHECK(v.peak.peak == h.peak.peak);
  const IterationCount<T> mv = worst_case_iterations(Velocity<T>(eta, beta), lambdas, eps);
  const IterationCount<T> mh = worst_case_iterations(HeavyBall<T>(eta, beta), lambdas, eps);
  CHECK(mv.first != mh.first);
  // From the standard start the error never exceeds its start here: the peak is 1 at t = 0.
  CHECK(v.peak.t == 0);
  CHECK(v.peak.peak == 1);
}

TEST_CASE_TEMPLATE("from a start, x_error's count is iterations_to_tolerance's", T,
                   MOMENTUM_SCALARS) {
  const Vector<T> lambdas = vec<T>({"0.02", "0.7", "3"});
  const Vector<T> z0 = vec<T>({"1", "-4", "2"});
  const T eps = test::ref<T>("1e-8");
  const HeavyBall<T> hb(test::ref<T>("0.3"), test::ref<T>("0.7"));
  const Nesterov<T> ne(test::ref<T>("0.3"), test::ref<T>("0.7"));
  const XError<T> a = x_error(hb, lambdas, eps, z0);
  const IterationCount<T> b = iterations_to_tolerance(hb, lambdas, z0, Vector<T>(), eps);
  CHECK(a.count.first == b.first);
  CHECK(a.count.settled == b.settled);
  const XError<T> c = x_error(ne, lambdas, eps, z0);
  const IterationCount<T> d = iterations_to_tolerance(ne, lambdas, z0, Vector<T>(), eps);
  CHECK(c.count.first == d.first);
  CHECK(c.count.settled == d.settled);
}

TEST_CASE_TEMPLATE("x_error: divergence, a start at the minimizer, bad input", T, MOMENTUM_SCALARS) {
  const Vector<T> lambdas = vec<T>({"1", "30"});
  const T eps = test::ref<T>("1e-6");
  // alpha L = 3 > 2 (1 + beta) = 2.2: does not converge.
  const XError<T> d = x_error(HeavyBall<T>(T(1) / 10, T(1) / 10), lambdas, eps);
  CHECK_FALSE(d.count.converges);
  CHECK(d.count.first == -1);
  CHECK_FALSE(d.peak.bounded);
  const XError<T> z = x_error(HeavyBall<T>(T(1) / 100, T(1) / 10), lambdas, eps, vec<T>({"0", "0"}));
  CHECK(z.count.first == 0);
  const HeavyBall<T> m(T(1) / 100, T(1) / 10);
  test::check_invalid([&] { x_error(m, Vector<T>(), eps); }, {"x_error", "lambdas", "empty"});
  test::check_invalid([&] { x_error(m, lambdas, T(0)); }, {"x_error", "eps", "positive"});
  test::check_invalid([&] { x_error(m, lambdas, eps, vec<T>({"1"})); },
                      {"x_error", "weights", "2 entries"});
  test::check_invalid([&] { residual(m, T(1), -1); }, {"residual", "t", "non-negative"});
  test::check_invalid([&] { residual_sequence(m, T(1), -1); },
                      {"residual_sequence", "T", "non-negative"});
}

// The two-state family, PyTorch's SGD and QHM (SPEC section 11).
TEST_CASE_TEMPLATE("TwoState, PyTorch, QHM: p_t in closed form = recurrence = simulation", T, double,
                   momentum::float50) {
  using std::abs;
  const T alpha = test::ref<T>("0.1"), beta = test::ref<T>("0.5");
  for (const char* l : {"2", "0.05", "25", "19"}) {
    const T lambda = test::ref<T>(l);
    check_residual(TwoState<T>(alpha, beta, T(1) / 3), lambda, 60);
    check_residual(TwoState<T>(alpha, beta, T(0)), lambda, 60);
    check_residual(TwoState<T>(alpha, beta, beta), lambda, 60);
    check_residual(PyTorchSGD<T>(alpha, beta, T(3) / 10, T(1) / 10, true), lambda, 60);
    check_residual(PyTorchSGD<T>(alpha, beta, T(3) / 10, T(0), false), lambda, 60);
    check_residual(QHM<T>(alpha, T(7) / 10, beta), lambda, 60);
    // TwoState(alpha, beta, 0) is heavy ball's polynomial coefficient for coefficient, and
    // TwoState(alpha, beta, beta) Nesterov's to rounding.
    const std::vector<T> f0 = residual_sequence(TwoState<T>(alpha, beta, T(0)), lambda, 60);
    const std::vector<T> hb = residual_sequence(HeavyBall<T>(alpha, beta), lambda, 60);
    const std::vector<T> fb = residual_sequence(TwoState<T>(alpha, beta, beta), lambda, 60);
    const std::vector<T> ne = residual_sequence(Nesterov<T>(alpha, beta), lambda, 60);
    T scale(1);
    for (const T& p : ne) scale = std::max(scale, T(abs(p)));
    for (std::size_t t = 0; t < f0.size(); ++t) {
      CHECK(f0[t] == hb[t]);
      CHECK(abs(fb[t] - ne[t]) <= test::ulps<T>(64) * T(t + 1) * scale);
    }
  }
  // PyTorch's family member from t = 1 on: p_{t+1}(PyTorch) is the family's recurrence on
  // lambda + wd from (p_1, p_0); with dampening p_1 is not the family's from (1, 1).
  const PyTorchSGD<T> sgd(alpha, beta, T(3) / 10, T(1) / 10, true);
  const T lambda(2), l = lambda + sgd.weight_decay;
  const std::vector<T> p = residual_sequence(sgd, lambda, 40);
  const TwoState<T> f = sgd.family();
  const T a = 1 + f.beta - f.alpha_total() * l, c = f.beta - f.alpha_gamma * l;
  for (std::size_t t = 1; t + 1 < p.size(); ++t)
    CHECK(abs(p[t + 1] - (a * p[t] - c * p[t - 1])) <= test::ulps<T>(64) * T(t + 1));
  CHECK(abs(p[1] - (a - c)) > T(1) / 100);
}

TEST_CASE_TEMPLATE("x_error_interval for TwoState, QHM and PyTorch", T, double) {
  const T alpha = test::ref<T>("0.6"), beta = test::ref<T>("0.5");
  const float50 alpha50 = test::ref<float50>("0.6"), beta50 = test::ref<float50>("0.5");
  check_interval<T>(TwoState<T>(alpha / 4, beta, T(1) / 4),
                    TwoState<float50>(alpha50 / 4, beta50, float50(1) / 4), "0.2", "4", "1e-6", 3000);
  // TwoState(alpha, beta, 0) brackets exactly as heavy ball.
  const XErrorInterval<T> a = x_error_interval(TwoState<T>(alpha, beta, T(0)), T(1) / 5, T(4),
                                               T(1) / 1000000, 400000000LL);
  const XErrorInterval<T> b = x_error_interval(HeavyBall<T>(alpha, beta), T(1) / 5, T(4),
                                               T(1) / 1000000, 400000000LL);
  CHECK(a.done);
  CHECK(a.first_lo == b.first_lo);
  CHECK(a.first_hi == b.first_hi);
  CHECK(a.peak_hi == b.peak_hi);
  // QHM and undamped PyTorch: their family member's (on [mu + wd, L + wd] for PyTorch).
  const QHM<T> q(T(1) / 2, T(7) / 10, beta);
  const XErrorInterval<T> xq = x_error_interval(q, T(1) / 5, T(4), T(1) / 1000000, 400000000LL);
  const XErrorInterval<T> xf = x_error_interval(q.family(), T(1) / 5, T(4), T(1) / 1000000, 400000000LL);
  CHECK(xq.done);
  CHECK(xq.first_hi == xf.first_hi);
  const PyTorchSGD<T> sgd(T(1) / 4, beta, T(0), T(1) / 10, true);
  CHECK(x_error_interval(sgd, T(1) / 5, T(4), T(1) / 1000000, 400000000LL).done);
  // PyTorch with dampening: its own first step, then its family member's recurrence; the
  // bracket holds the sup over a dense grid of its own residual sequence (check_interval).
  const float50 half50 = float50(1) / 2, quarter50 = float50(1) / 4, tenth50 = float50(1) / 10;
  check_interval<T>(PyTorchSGD<T>(T(1) / 4, beta, T(1) / 2),
                    PyTorchSGD<float50>(quarter50, beta50, half50), "0.2", "4", "1e-6", 3000);
  check_interval<T>(PyTorchSGD<T>(T(1) / 4, beta, T(1) / 2, T(1) / 10, true),
                    PyTorchSGD<float50>(quarter50, beta50, half50, tenth50, true), "0.2", "4", "1e-6",
                    3000);
}
