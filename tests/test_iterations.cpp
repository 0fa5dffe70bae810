// Tests for iterations.hpp: iteration counts to 1e-6, 1e-30 and 1e-100 equal the first crossing
// found by simulation (from a start) and by the closed-form norms (worst case); they honour the
// Jordan factor and the transient, unlike log(eps)/log(rho); large counts are found without
// scanning from 0.
#include "test_support.hpp"

#include <momentum/iterations.hpp>
#include <momentum/tuning.hpp>

#include <Eigen/SVD>

using namespace momentum;

namespace {

/// Brute force over t = 0..t_end of the exact worst-case ratio ||M^t||_2 (closed forms).
template <class T, class Method>
std::pair<long long, long long> brute_worst(const Method& m, const Vector<T>& lambdas, const T& eps,
                                            long long t_end) {
  long long first = -1, last_above = -1;
  for (long long t = 0; t <= t_end; ++t) {
    const T v = power_norm(m, lambdas, t);
    if (v > eps) last_above = t;
    else if (first < 0) first = t;
  }
  return {first, last_above + 1};
}

/// First crossing and settling time found by simulating from a start (every step recorded).
template <class T, class Method>
std::pair<long long, long long> simulated(const Method& m, const Vector<T>& lambdas,
                                          const Vector<T>& z0, const Vector<T>& w0, const T& eps,
                                          long long t_end) {
  SimulateOptions o;
  o.steps = t_end;
  o.every_step = true;
  const Trajectory<T> tr = simulate_eigen(m, lambdas, z0, w0, o);
  const T target = eps * tr.points.front().error_norm;
  long long first = -1, last_above = -1;
  for (const auto& p : tr.points) {
    if (p.error_norm > target) last_above = p.t;
    else if (first < 0) first = p.t;
  }
  return {first, last_above + 1};
}

template <class T, class Method>
void check_worst(const Method& m, const Vector<T>& lambdas) {
  for (const char* e : {"1e-6", "1e-30", "1e-100"}) {
    const T eps = test::ref<T>(e);
    const IterationCount<T> r = worst_case_iterations(m, lambdas, eps);
    INFO(Method::name << " eps = " << e << ": first " << r.first << ", settled " << r.settled
                      << ", naive " << r.naive << ", bracket [" << r.lower << ", " << r.upper << "]");
    REQUIRE(r.exact);
    REQUIRE(r.converges);
    const auto [first, settled] = brute_worst(m, lambdas, eps, r.upper + 5);
    CHECK(r.first == first);
    CHECK(r.settled == settled);
    CHECK(r.first >= r.naive - 1);  // ||M^t|| >= rho^t
    CHECK(r.settled <= r.upper);
    CHECK(r.ratio_at_first <= eps);
  }
}

template <class T, class Method>
void check_start(const Method& m, const Vector<T>& lambdas, const Vector<T>& z0, const Vector<T>& w0) {
  for (const char* e : {"1e-6", "1e-30", "1e-100"}) {
    const T eps = test::ref<T>(e);
    const IterationCount<T> r = iterations_to_tolerance(m, lambdas, z0, w0, eps);
    INFO(Method::name << " eps = " << e << ": first " << r.first << ", settled " << r.settled
                      << ", naive " << r.naive << ", upper " << r.upper);
    REQUIRE(r.exact);
    const auto [first, settled] = simulated(m, lambdas, z0, w0, eps, r.upper + 5);
    CHECK(r.first == first);
    CHECK(r.settled == settled);
    CHECK(r.ratio_at_first <= eps);
  }
}

}  // namespace

TEST_CASE_TEMPLATE("worst-case counts equal the first crossing of ||M^t||", T, MOMENTUM_SCALARS) {
  Vector<T> lambdas(4);
  lambdas << T(1), T(2), T(50), T(100);
  const auto hb = optimal_heavy_ball(T(1), T(100)).method;
  check_worst(hb, lambdas);
  check_worst(to_velocity(hb), lambdas);
  check_worst(optimal_nesterov(T(1), T(100)).method, lambdas);
  check_worst(optimal_gd(T(1), T(100)).method, lambdas);
  Vector<T> one(1);
  one << T(1);
  check_worst(HeavyBall<T>(T(1) / 2, T(81) / 100), one);  // complex
  check_worst(HeavyBall<T>(T(5) / 100, T(1) / 4), one);   // real distinct
  check_worst(Nesterov<T>(T(1) / 4, T(1) / 3), one);      // double root 1/2
}

TEST_CASE_TEMPLATE("counts from a start equal the first crossing found by simulation", T,
                   MOMENTUM_SCALARS) {
  Vector<T> lambdas(4), z0(4), w0(4);
  lambdas << T(1), T(2), T(50), T(100);
  z0 << T(1), T(-2), T(1) / 2, T(3);
  w0 << T(0), T(1), T(1) / 2, T(-1);
  const auto hb = optimal_heavy_ball(T(1), T(100)).method;
  check_start(hb, lambdas, z0, Vector<T>());
  check_start(hb, lambdas, z0, w0);
  check_start(to_velocity(hb), lambdas, z0, w0);  // w0 is v0 here
  check_start(optimal_nesterov(T(1), T(100)).method, lambdas, z0, w0);
  check_start(optimal_gd(T(1), T(100)).method, lambdas, z0, Vector<T>());
  // One complex coordinate: the x-error oscillates, so its first dip below eps comes before it
  // stays below.
  Vector<T> one(1), s(1);
  one << T(1);
  s << T(1);
  check_start(HeavyBall<T>(T(3) / 2, T(81) / 100), one, s, Vector<T>());
  const auto osc = iterations_to_tolerance(HeavyBall<T>(T(3) / 2, T(81) / 100), one, s, Vector<T>(),
                                           test::ref<T>("1e-6"));
  CHECK(osc.first < osc.settled);
}

TEST_CASE_TEMPLATE("the counts honour the Jordan factor and the transient, unlike the naive one", T,
                   MOMENTUM_SCALARS) {
  // Tuned heavy ball, kappa = 100: rho = 9/11 and a Jordan block at both ends, so
  // ||A^t|| ~ (1 + z^2) t z^{t-1}: more steps than log(eps)/log(rho).
  Vector<T> lambdas(2);
  lambdas << T(1), T(100);
  const auto hb = optimal_heavy_ball(T(1), T(100)).method;
  for (const char* e : {"1e-6", "1e-30", "1e-100"}) {
    const IterationCount<T> r = worst_case_iterations(hb, lambdas, test::ref<T>(e));
    INFO("eps = " << e << ": first " << r.first << ", naive " << r.naive);
    CHECK(r.m == 2);
    CHECK(r.first > r.naive + 10);
  }
  // Gradient descent: ||M^t|| = rho^t exactly, so the naive count is exact.
  const auto gd = optimal_gd(T(1), T(100)).method;
  for (const char* e : {"1e-6", "1e-30", "1e-100"}) {
    const IterationCount<T> r = worst_case_iterations(gd, lambdas, test::ref<T>(e));
    CHECK(r.first == r.naive);
    CHECK(r.settled == r.naive);
  }
}

TEST_CASE_TEMPLATE("large counts are found by bracketing, not by scanning from 0", T,
                   MOMENTUM_SCALARS) {
  // Critically damped heavy ball at rate 1 - 1e-4: about 7e5 steps to 1e-30. The scan covers
  // only [naive - 2, upper]; the crossing is checked with the closed form on both sides.
  const T a = T(1) / 100000000;  // alpha lambda = 1e-8, sqrt = 1e-4
  const HeavyBall<T> hb(a, critical_beta(a, T(1)));
  const T eps = test::ref<T>("1e-30");
  IterationOptions opt;
  opt.max_scan = 2000000;  // far below the count itself: a scan from 0 would not be allowed
  const IterationCount<T> r = worst_case_iterations(hb, T(1), eps, opt);
  INFO("first " << r.first << ", settled " << r.settled << ", naive " << r.naive << ", bracket ["
                << r.lower << ", " << r.upper << "]");
  REQUIRE(r.exact);
  CHECK(r.first > 600000);
  CHECK(r.first > r.naive);
  CHECK(power_norm(hb, T(1), r.first) <= eps);
  CHECK(power_norm(hb, T(1), r.first - 1) > eps);
  CHECK(power_norm(hb, T(1), r.settled - 1) > eps);
  CHECK(r.upper - r.lower < opt.max_scan);
}

TEST_CASE_TEMPLATE("iteration counts: edge cases", T, MOMENTUM_SCALARS) {
  Vector<T> l(2), zero(2), z(2);
  l << T(1), T(3);
  zero << T(0), T(0);
  z << T(1), T(1);
  const HeavyBall<T> hb(T(1) / 10, T(1) / 2);
  const auto at_min = iterations_to_tolerance(hb, l, zero, Vector<T>(), T(1) / 1000);
  CHECK(at_min.first == 0);
  CHECK(at_min.settled == 0);
  CHECK(worst_case_iterations(hb, l, T(2)).first == 0);
  const auto div = worst_case_iterations(HeavyBall<T>(T(7) / 2, T(1) / 2), l, T(1) / 1000);
  CHECK_FALSE(div.converges);
  CHECK(div.first == -1);
  CHECK(div.settled == -1);
  test::check_invalid([&] { (void)worst_case_iterations(hb, l, T(0)); }, {"eps must be finite and positive"});
  test::check_invalid([&] { (void)iterations_to_tolerance(hb, l, Vector<T>(3), Vector<T>(), T(1) / 2); },
                      {"z0 must have 2 entries"});
}

// The two-state family, PyTorch's SGD and QHM (SPEC section 11).
TEST_CASE_TEMPLATE("TwoState: the counts of heavy ball and Nesterov, and of its 2n x 2n powers", T,
                   double, momentum::float50) {
  Vector<T> lambdas(3);
  lambdas << T(1), T(10), T(50);
  const T alpha = T(1) / 40, beta = T(3) / 5, eps = T(1) / 1000000;
  const IterationCount<T> hb = worst_case_iterations(HeavyBall<T>(alpha, beta), lambdas, eps);
  const IterationCount<T> f0 = worst_case_iterations(TwoState<T>(alpha, beta, T(0)), lambdas, eps);
  CHECK(hb.exact);
  CHECK(f0.first == hb.first);
  CHECK(f0.settled == hb.settled);
  CHECK(f0.rho == hb.rho);
  const IterationCount<T> nag = worst_case_iterations(Nesterov<T>(alpha, beta), lambdas, eps);
  const IterationCount<T> fb = worst_case_iterations(TwoState<T>(alpha, beta, beta), lambdas, eps);
  CHECK(fb.first == nag.first);
  CHECK(fb.settled == nag.settled);
  // Against the 2n x 2n matrix itself: ||M^t||_2 by its SVD (Q diagonal, so M's norm is the
  // largest block norm by the decoupling; computed here without it).
  const TwoState<T> m(alpha, beta, T(1) / 3);
  const IterationCount<T> r = worst_case_iterations(m, lambdas, eps);
  REQUIRE(r.exact);
  const Matrix<T> M = iteration_matrix(m, Matrix<T>(lambdas.asDiagonal()));
  Matrix<T> P = Matrix<T>::Identity(6, 6);
  long long first = -1, last_above = -1;
  for (long long t = 0; t <= r.settled + 50; ++t) {
    const T nrm = Eigen::JacobiSVD<Matrix<T>>(P).singularValues()(0);
    if (nrm > eps) last_above = t;
    else if (first < 0) first = t;
    P = (M * P).eval();
  }
  CHECK(first == r.first);
  CHECK(last_above + 1 == r.settled);
}

TEST_CASE_TEMPLATE("iterations from a start: TwoState, PyTorch, QHM against their simulations", T,
                   double, momentum::float50) {
  Vector<T> lambdas(3), z0(3);
  lambdas << T(1), T(10), T(50);
  z0 << T(1), T(-2), T(1) / 2;
  const T eps = T(1) / 1000000;
  auto check = [&](const auto& m, const char* what) {
    INFO(what);
    const IterationCount<T> r = iterations_to_tolerance(m, lambdas, z0, Vector<T>(), eps);
    REQUIRE(r.exact);
    SimulateOptions o;
    o.steps = r.settled + 100;
    o.every_step = true;
    const Trajectory<T> tr = simulate_eigen(m, lambdas, z0, Vector<T>(), o);
    long long first = -1, last_above = -1;
    for (const auto& p : tr.points) {
      if (p.error_norm > eps * tr.points.front().error_norm) last_above = p.t;
      else if (first < 0) first = p.t;
    }
    CHECK(first == r.first);
    CHECK(last_above + 1 == r.settled);
  };
  check(TwoState<T>(T(1) / 40, T(3) / 5, T(1) / 3), "family");
  check(PyTorchSGD<T>(T(1) / 40, T(3) / 5, T(1) / 2, T(1) / 10, true), "pytorch nesterov");
  check(PyTorchSGD<T>(T(1) / 40, T(3) / 5, T(1) / 2, T(0), false), "pytorch");
  check(QHM<T>(T(1) / 15, T(7) / 10, T(3) / 5), "qhm");
}
