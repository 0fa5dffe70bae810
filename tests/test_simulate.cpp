// Tests for simulate.hpp: x-space (dense Q) and eigen-coordinate runs agree for every method;
// the iterated error stays right far below |x*| and below the double range; checkpoints store
// only what was asked; runs continue exactly; d2l's published trajectories (SPEC section 10).
#include "test_support.hpp"

#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>
#include <momentum/tuning.hpp>

#include <Eigen/QR>

using namespace momentum;

namespace {

/// A random orthogonal O (QR of a seeded matrix, computed in double and rounded to T, then
/// re-orthogonalised in T by one Gram-Schmidt pass so it is orthogonal to T's precision).
template <class T>
Matrix<T> random_orthogonal(int n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  Matrix<T> A(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) A(i, j) = test::uniform<T>(g, -1, 1);
  Matrix<T> O(n, n);
  for (int j = 0; j < n; ++j) {
    Vector<T> v = A.col(j);
    for (int pass = 0; pass < 2; ++pass)
      for (int k = 0; k < j; ++k) v -= O.col(k).dot(v) * O.col(k);
    O.col(j) = v / v.norm();
  }
  return O;
}

/// The first crossing of eps relative to e_0 in a recorded trajectory.
template <class T>
long long first_below(const Trajectory<T>& tr, const T& eps) {
  for (const auto& p : tr.points)
    if (p.error_norm <= eps * tr.points.front().error_norm) return p.t;
  return -1;
}

template <class T, class Method>
void check_x_space_against_eigen(const Method& m, const Quadratic<T>& h, const Vector<T>& x0,
                                 const Vector<T>& second, long long T_steps) {
  using std::abs;
  using std::max;
  SimulateOptions o;
  o.steps = T_steps;
  o.every_step = true;
  o.record_x = true;
  o.record_state_norm = true;
  const Trajectory<T> xs = simulate(m, h, x0, second, o);
  const Trajectory<T> es = simulate_via_eigen(m, h, x0, second, o);
  REQUIRE(xs.points.size() == static_cast<std::size_t>(T_steps + 1));
  REQUIRE(es.points.size() == xs.points.size());
  // Both runs make rounding errors of a few n eps times the state per step (dense products
  // against the rotation by O); propagated by M^{t-k} they stay below
  // n eps (t + 1) (1 + ||M||) peak times the largest state norm so far.
  const TransientPeak<T> pk = transient_peak(m, h.eigenvalues());
  const T peak = pk.bounded ? pk.peak : T(1);
  T mnorm(0);
  for (Eigen::Index i = 0; i < h.dimension(); ++i)
    mnorm = max(mnorm, norm_2(detail::block(m, T(h.eigenvalues()(i))).M));
  T biggest(0);
  for (std::size_t k = 0; k < xs.points.size(); ++k) {
    const auto& a = xs.points[k];
    const auto& b = es.points[k];
    biggest = max(biggest, a.state_norm);
    const T tol = 64 * T(h.dimension()) * epsilon<T>() * T(a.t + 1) * (1 + mnorm) * peak * biggest;
    INFO(Method::name << " t = " << a.t);
    CHECK(a.t == b.t);
    CHECK(abs(a.error_norm - b.error_norm) <= tol);
    CHECK(abs(a.state_norm - b.state_norm) <= tol);
    CHECK(abs(a.excess_loss - b.excess_loss) <= tol * (a.error_norm + b.error_norm + tol) * h.lambda_max());
    CHECK((a.x - b.x).cwiseAbs().maxCoeff() <= tol + 16 * epsilon<T>() * h.minimizer().cwiseAbs().maxCoeff());
  }
}

}  // namespace

TEST_CASE_TEMPLATE("x-space and eigen-coordinate simulations agree for every method", T,
                   MOMENTUM_SCALARS) {
  const int n = 4;
  const Matrix<T> O = random_orthogonal<T>(n, 5);
  Vector<T> lambdas(n);
  lambdas << T(1), T(3), T(20), T(100);
  const Matrix<T> Q = O.transpose() * lambdas.asDiagonal() * O;
  Vector<T> c(n);
  c << T(1), T(-2), T(3), T(1) / 2;
  const Quadratic<T> h(Q, c, T(7));
  Vector<T> x0(n), xp(n), v0(n);
  x0 << T(1), T(2), T(-1), T(0);
  xp << T(1) / 2, T(2), T(0), T(-1);
  v0 << T(1), T(0), T(-1), T(2);
  const auto hb = optimal_heavy_ball(T(1), T(100)).method;
  check_x_space_against_eigen(GradientDescent<T>(T(1) / 60), h, x0, Vector<T>(), 150);
  check_x_space_against_eigen(hb, h, x0, Vector<T>(), 150);
  check_x_space_against_eigen(hb, h, x0, xp, 150);
  check_x_space_against_eigen(to_velocity(hb), h, x0, Vector<T>(), 150);
  check_x_space_against_eigen(to_velocity(hb), h, x0, v0, 150);
  check_x_space_against_eigen(optimal_nesterov(T(1), T(100)).method, h, x0, xp, 150);
  check_x_space_against_eigen(optimal_nesterov(T(1), T(100)).method, h, x0, Vector<T>(), 150);
}

TEST_CASE_TEMPLATE("velocity form and heavy ball follow the same x-trajectory", T, MOMENTUM_SCALARS) {
  using std::abs;
  // x_{-1} = x_0 + eta v_0 (SPEC section 2).
  Vector<T> lambdas(3), z0(3), v0(3);
  lambdas << T(1), T(7), T(30);
  z0 << T(1), T(-1), T(2);
  v0 << T(3), T(1) / 2, T(-1);
  const Velocity<T> vel(T(1) / 40, T(4) / 5);
  const Vector<T> zp = heavy_ball_previous_from_velocity(vel, z0, v0);
  SimulateOptions o;
  o.steps = 200;
  o.every_step = true;
  const auto a = simulate_eigen(vel, lambdas, z0, v0, o);
  const auto b = simulate_eigen(to_heavy_ball(vel), lambdas, z0, zp, o);
  for (std::size_t k = 0; k < a.points.size(); ++k) {
    INFO("t = " << a.points[k].t);
    // Two recurrences with different roundings: ~ eps (t + 1) times the peak (< 5 here).
    CHECK(abs(a.points[k].error_norm - b.points[k].error_norm) <=
          64 * epsilon<T>() * T(a.points[k].t + 1) * 5 * a.points.front().error_norm);
  }
}

TEST_CASE_TEMPLATE("the error is iterated: right far below |x*| and the rounding of x", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  // x* = (1, -2, 3): by t = 3000 the error is ~ 1e-230 relative to x*; x_t - x* formed by
  // subtraction would floor at eps |x*|. The closed form z_t = (A^t s)_x is the reference.
  Vector<T> lambdas(3);
  lambdas << T(1), T(4), T(9);
  Matrix<T> Q = lambdas.asDiagonal();
  Vector<T> xstar(3);
  xstar << T(1), T(-2), T(3);
  const Vector<T> c = -(Q * xstar);
  const Quadratic<T> h(Q, c, T(0));
  const HeavyBall<T> hb(T(1) / 10, T(1) / 4);  // rho ~ 0.86 on these eigenvalues
  Vector<T> x0 = xstar;
  x0(0) += 1;
  x0(2) -= T(1) / 2;
  SimulateOptions o;
  o.steps = 3000;
  o.at = {0, 1000, 3000};
  o.record_x = true;
  const auto tr = simulate(hb, h, x0, Vector<T>(), o);
  REQUIRE(tr.points.size() == 3);
  const Vector<T> z0 = x0 - xstar;
  for (const auto& p : tr.points) {
    detail::SquareSum<T> ss;
    for (int i = 0; i < 3; ++i) {
      const Eigen::Matrix<T, 2, 1> s(z0(i), z0(i));
      ss.add(T((power(hb, T(lambdas(i)), p.t) * s)(0)));
    }
    const T exact = ss.norm();
    INFO("t = " << p.t << " error " << test::str(p.error_norm) << " closed form " << test::str(exact));
    // Relative: a few eps per step of the x-space recurrence, t steps.
    CHECK(abs(p.error_norm - exact) <= 64 * epsilon<T>() * T(p.t + 1) * exact);
    // x_t = x* + e_t: at these sizes x carries only rounding of x*.
    CHECK((p.x - xstar).cwiseAbs().maxCoeff() <= exact + 4 * epsilon<T>() * 3);
  }
  // ~1e-198 at t = 3000: far below eps |x*| in every type (and right to the digits above,
  // thanks to the scaled sums in double).
  CHECK(tr.points[2].error_norm < T(1e-150));
  CHECK(tr.points[2].error_norm > 0);
}

TEST_CASE("double underflows where the 50-digit run does not (||e_t|| < 1e-308)") {
  // Heavy ball, complex regime, rho = 0.9: ||e_t|| ~ 0.9^t: 1e-92 at t = 2000, 1e-320 at
  // t = 7000, 1e-458 at t = 10^4. Past 1e-308 double falls into the subnormals and loses every
  // digit: with round-to-nearest the recurrence sticks at a few units of 2^-1074 (4.9e-324)
  // instead of reaching 0, so "underflow" is asserted as "below 1e-307 and wrong by more than a
  // factor 1e100", while the 50-digit run matches the closed form to 40 digits.
  Vector<double> ld(1), zd(1);
  ld << 1;
  zd << 1;
  Vector<mpfr50> lm(1), zm(1);
  lm << mpfr50(1);
  zm << mpfr50(1);
  SimulateOptions o;
  o.steps = 10000;
  o.at = {2000, 7000, 10000};
  const HeavyBall<mpfr50> hm(mpfr50(1) / 2, mpfr50(81) / 100);
  const auto d = simulate_eigen(HeavyBall<double>(0.5, 0.81), ld, zd, Vector<double>(), o);
  const auto m = simulate_eigen(hm, lm, zm, Vector<mpfr50>(), o);
  using boost::multiprecision::abs;
  const Eigen::Matrix<mpfr50, 2, 1> s(mpfr50(1), mpfr50(1));
  for (std::size_t k = 0; k < 3; ++k) {
    const long long t = m.points[k].t;
    const mpfr50 exact = abs((power(hm, mpfr50(1), t) * s)(0));
    INFO("t = " << t << ": double " << d.points[k].error_norm << ", 50 digits "
                << test::str(m.points[k].error_norm) << ", closed form " << test::str(exact));
    CHECK(abs(m.points[k].error_norm - exact) <= mpfr50("1e-40") * exact);
    if (k == 0) {
      // Inside double's range the two agree to double's accumulated rounding (t eps).
      CHECK(std::abs(d.points[k].error_norm - static_cast<double>(exact)) <=
            1e-11 * d.points[k].error_norm);
    } else {
      CHECK(exact < mpfr50("1e-308"));
      CHECK(d.points[k].error_norm < 1e-307);
      // t = 7000 (1e-320): gradual underflow keeps 3 digits (a normal double run would be right
      // to 1e-12 here); t = 10^4 (1e-458): nothing is left.
      const mpfr50 rel = abs(mpfr50(d.points[k].error_norm) - exact) / exact;
      if (k == 1) CHECK(rel > mpfr50("1e-6"));
      else CHECK(rel > mpfr50("1e100"));
    }
  }
  // A monotone case with a ratio below 1/2 does reach exactly 0 in double.
  const auto g = simulate_eigen(GradientDescent<double>(0.6), ld, zd, Vector<double>(), o);
  const auto gm = simulate_eigen(GradientDescent<mpfr50>(mpfr50(3) / 5), lm, zm, Vector<mpfr50>(), o);
  CHECK(g.points[1].error_norm == 0);
  CHECK(abs(gm.points[1].error_norm - boost::multiprecision::pow(mpfr50(2) / 5, 7000)) <=
        mpfr50("1e-45") * gm.points[1].error_norm);
}

TEST_CASE_TEMPLATE("checkpoints: only what was asked, in order; runs continue exactly", T,
                   MOMENTUM_SCALARS) {
  Vector<T> lambdas(2), z0(2);
  lambdas << T(1), T(10);
  z0 << T(1), T(-1);
  const Nesterov<T> nes(T(1) / 20, T(3) / 5);
  SimulateOptions o;
  o.steps = 50;
  o.at = {40, 3, 3, 0, 50};
  const auto tr = simulate_eigen(nes, lambdas, z0, Vector<T>(), o);
  REQUIRE(tr.points.size() == 4);
  CHECK(tr.points[0].t == 0);
  CHECK(tr.points[1].t == 3);
  CHECK(tr.points[2].t == 40);
  CHECK(tr.points[3].t == 50);
  for (const auto& p : tr.points) {
    CHECK(p.x.size() == 0);
    CHECK(p.state_norm == 0);
  }
  SimulateOptions last;
  last.steps = 50;
  CHECK(simulate_eigen(nes, lambdas, z0, Vector<T>(), last).points.size() == 1);
  // 30 steps, then 20 more from the final state: the same numbers as 50 at once.
  SimulateOptions a;
  a.steps = 30;
  const auto first = simulate_eigen(nes, lambdas, z0, Vector<T>(), a);
  a.steps = 20;
  const auto second = simulate_eigen(nes, lambdas, first.final_error, first.final_second, a);
  CHECK(second.final_error == tr.final_error);
  CHECK(second.final_second == tr.final_second);
  CHECK(second.points.back().error_norm == tr.points.back().error_norm);
  // Velocity form and GD continue the same way.
  const Velocity<T> vel(T(1) / 20, T(3) / 5);
  const GradientDescent<T> gd(T(1) / 20);
  a.steps = 30;
  const auto v1 = simulate_eigen(vel, lambdas, z0, Vector<T>(), a);
  const auto g1 = simulate_eigen(gd, lambdas, z0, Vector<T>(), a);
  a.steps = 20;
  const auto v2 = simulate_eigen(vel, lambdas, v1.final_error, v1.final_second, a);
  const auto g2 = simulate_eigen(gd, lambdas, g1.final_error, Vector<T>(), a);
  a.steps = 50;
  CHECK(v2.final_error == simulate_eigen(vel, lambdas, z0, Vector<T>(), a).final_error);
  CHECK(g2.final_error == simulate_eigen(gd, lambdas, z0, Vector<T>(), a).final_error);
  // every_step records T + 1 points, with x when asked.
  SimulateOptions e;
  e.steps = 7;
  e.every_step = true;
  e.record_x = true;
  const auto all = simulate_eigen(nes, lambdas, z0, Vector<T>(), e);
  REQUIRE(all.points.size() == 8);
  CHECK(all.points[7].x == all.final_error);
  CHECK(all.points[0].x == z0);
  CHECK(first_below(all, T(2)) == 0);
}

TEST_CASE("d2l's published 20-step trajectories (SPEC section 10)") {
  // f(x) = 0.1 x1^2 + 2 x2^2, Q = diag(0.2, 4), start (-5, -2), v0 = 0; printed to 6 decimals.
  Matrix<double> Q = Matrix<double>::Zero(2, 2);
  Q(0, 0) = 0.2;
  Q(1, 1) = 4;
  const Quadratic<double> h(Q);
  Vector<double> x0(2);
  x0 << -5, -2;
  SimulateOptions o;
  o.steps = 20;
  o.record_x = true;
  auto run = [&](const auto& m) { return simulate(m, h, x0, Vector<double>(), o).points.back().x; };
  const auto a = run(GradientDescent<double>(0.4));
  CHECK(std::abs(a(0) - -0.943467) <= 5e-7);
  CHECK(std::abs(a(1) - -0.000073) <= 5e-7);
  const auto b = run(GradientDescent<double>(0.6));
  CHECK(std::abs(b(0) - -0.387814) <= 5e-7);
  CHECK(std::abs(b(1) - -1673.365109) <= 5e-7);
  const auto c = run(Velocity<double>(0.6, 0.5));
  CHECK(std::abs(c(0) - 0.007188) <= 5e-7);
  CHECK(std::abs(c(1) - 0.002553) <= 5e-7);
  const auto d = run(Velocity<double>(0.6, 0.25));
  CHECK(std::abs(d(0) - -0.126340) <= 5e-7);
  CHECK(std::abs(d(1) - -0.186632) <= 5e-7);
}

TEST_CASE("simulate rejects bad arguments, naming them") {
  Vector<double> l(2), z(2), bad(3);
  l << 1, 2;
  z << 1, 1;
  bad << 1, 1, 1;
  SimulateOptions o;
  o.steps = 5;
  const HeavyBall<double> hb(0.1, 0.5);
  test::check_invalid([&] { (void)simulate_eigen(hb, l, bad, Vector<double>(), o); },
                      {"simulate_eigen", "z0"});
  test::check_invalid([&] { (void)simulate_eigen(hb, l, z, bad, o); },
                      {"simulate_eigen", "second state"});
  test::check_invalid([&] { (void)simulate_eigen(GradientDescent<double>(0.1), l, z, z, o); },
                      {"gradient descent has no second state"});
  SimulateOptions neg;
  neg.steps = -1;
  test::check_invalid([&] { (void)simulate_eigen(hb, l, z, Vector<double>(), neg); },
                      {"steps must be non-negative"});
  SimulateOptions out;
  out.steps = 5;
  out.at = {6};
  test::check_invalid([&] { (void)simulate_eigen(hb, l, z, Vector<double>(), out); },
                      {"checkpoint t = 6", "[0, steps = 5]"});
  Vector<double> nan_z = z;
  nan_z(1) = std::numeric_limits<double>::quiet_NaN();
  test::check_invalid([&] { (void)simulate_eigen(hb, l, nan_z, Vector<double>(), o); },
                      {"z0 must be finite"});
  const Quadratic<double> h(Matrix<double>(l.asDiagonal()));
  test::check_invalid([&] { (void)simulate(hb, h, bad, Vector<double>(), o); },
                      {"simulate", "x0 must have 2 entries"});
}

// ---------------------------------------------------------------------------------------------
// The two-state family (TwoState), PyTorch's SGD and QHM (SPEC section 11).

namespace {

/// A dense 4x4 quadratic with c != 0 (eigenvalues 1, 3, 20, 100).
template <class T>
Quadratic<T> family_quadratic() {
  const int n = 4;
  const Matrix<T> O = random_orthogonal<T>(n, 11);
  Vector<T> lambdas(n);
  lambdas << T(1), T(3), T(20), T(100);
  const Matrix<T> Q = O.transpose() * lambdas.asDiagonal() * O;
  Vector<T> c(n);
  c << T(1), T(-2), T(3), T(1) / 2;
  return Quadratic<T>(Q, c, T(7));
}

template <class T>
Vector<T> family_start() {
  Vector<T> x0(4);
  x0 << T(1), T(2), T(-1), T(0);
  return x0;
}

/// Every step's x of a run, from t = 0 to T.
template <class T, class Method>
std::vector<Vector<T>> x_trajectory(const Method& m, const Quadratic<T>& h, const Vector<T>& x0,
                                    const Vector<T>& second, long long steps) {
  SimulateOptions o;
  o.steps = steps;
  o.every_step = true;
  o.record_x = true;
  std::vector<Vector<T>> xs;
  for (auto& p : simulate(m, h, x0, second, o).points) xs.push_back(p.x);
  return xs;
}

/// max_t ||a_t - b_t||_inf over the common steps, relative to the largest |x| seen.
template <class T>
T trajectory_gap(const std::vector<Vector<T>>& a, const std::vector<Vector<T>>& b,
                 std::size_t offset_a = 0) {
  using std::max;
  T gap(0), scale(0);
  for (std::size_t k = 0; k + offset_a < a.size() && k < b.size(); ++k) {
    gap = max(gap, T((a[k + offset_a] - b[k]).cwiseAbs().maxCoeff()));
    scale = max(scale, T(b[k].cwiseAbs().maxCoeff()));
  }
  return gap / scale;
}

}  // namespace

TEST_CASE_TEMPLATE("TwoState: x-space and eigen runs agree, from its default and a given start", T,
                   double, momentum::float50) {
  const Quadratic<T> h = family_quadratic<T>();
  const Vector<T> x0 = family_start<T>();
  Vector<T> xp(4);
  xp << T(1) / 2, T(2), T(0), T(-1);
  // Heavy ball, Nesterov, and a gamma of neither (the triple momentum's shape).
  check_x_space_against_eigen(TwoState<T>(T(1) / 60, T(7) / 10, T(0)), h, x0, xp, 150);
  check_x_space_against_eigen(TwoState<T>(T(1) / 80, T(7) / 10, T(7) / 10), h, x0, Vector<T>(), 150);
  check_x_space_against_eigen(TwoState<T>(T(1) / 70, T(3) / 5, T(1) / 4), h, x0, xp, 150);
  check_x_space_against_eigen(TwoState<T>(T(1) / 70, T(3) / 5, T(-1) / 4), h, x0, Vector<T>(), 150);
}

TEST_CASE_TEMPLATE("TwoState(alpha, beta, 0) is heavy ball, TwoState(alpha, beta, beta) Nesterov", T,
                   double, momentum::float50) {
  const Quadratic<T> h = family_quadratic<T>();
  const Vector<T> x0 = family_start<T>();
  Vector<T> xp(4);
  xp << T(1) / 2, T(2), T(0), T(-1);
  const T alpha = T(1) / 60, beta = T(7) / 10;
  const HeavyBall<T> hb(alpha, beta);
  const Nesterov<T> nag(alpha, beta);
  // Eigen-coordinates: heavy ball's kernel coefficients are the family's exactly.
  SimulateOptions o;
  o.steps = 300;
  o.every_step = true;
  o.record_state_norm = true;
  const auto a = simulate_eigen(TwoState<T>(alpha, beta, T(0)), h.eigenvalues(), h.to_eigen(x0),
                                h.to_eigen(xp), o);
  const auto b = simulate_eigen(hb, h.eigenvalues(), h.to_eigen(x0), h.to_eigen(xp), o);
  for (std::size_t k = 0; k < a.points.size(); ++k) {
    CHECK(a.points[k].error_norm == b.points[k].error_norm);
    CHECK(a.points[k].state_norm == b.points[k].state_norm);
  }
  // x-space: two orders of the same arithmetic, equal to rounding (peak < 3 here).
  const T tol = 64 * 4 * epsilon<T>() * T(300);
  CHECK(trajectory_gap(x_trajectory(TwoState<T>(alpha, beta, T(0)), h, x0, xp, 300),
                       x_trajectory(hb, h, x0, xp, 300)) <= tol);
  CHECK(trajectory_gap(x_trajectory(TwoState<T>(alpha, beta, beta), h, x0, Vector<T>(), 300),
                       x_trajectory(nag, h, x0, Vector<T>(), 300)) <= tol);
  CHECK(trajectory_gap(x_trajectory(TwoState<T>(alpha, beta, beta), h, x0, xp, 300),
                       x_trajectory(nag, h, x0, xp, 300)) <= tol);
  // And the runs really differ between the two (the check can fail).
  CHECK(trajectory_gap(x_trajectory(TwoState<T>(alpha, beta, beta), h, x0, xp, 300),
                       x_trajectory(hb, h, x0, xp, 300)) > T(1) / 1000);
}

TEST_CASE_TEMPLATE("TwoState: the run is the 2n x 2n iteration matrix's powers", T, double,
                   momentum::float50) {
  using std::abs;
  const Quadratic<T> h = family_quadratic<T>();
  const Vector<T> x0 = family_start<T>();
  Vector<T> xp(4);
  xp << T(1) / 2, T(2), T(0), T(-1);
  const TwoState<T> m(T(1) / 70, T(3) / 5, T(1) / 4);
  const Matrix<T> M = iteration_matrix(m, h.Q());
  Vector<T> s(8);
  s << x0 - h.minimizer(), xp - h.minimizer();
  SimulateOptions o;
  o.steps = 60;
  o.every_step = true;
  o.record_state_norm = true;
  const auto tr = simulate(m, h, x0, xp, o);
  // Both sides round a few n eps of the state per step, carried by M^(t-k) (peak < 4 here).
  const T s0 = s.norm(), peak = transient_peak(m, h.eigenvalues()).peak;
  CHECK(peak < 4);
  for (const auto& p : tr.points) {
    INFO("t = " << p.t);
    const T tol = 256 * epsilon<T>() * T(p.t + 1) * peak * s0;
    CHECK(abs(p.error_norm - s.head(4).norm()) <= tol);
    CHECK(abs(p.state_norm - s.norm()) <= tol);
    s = (M * s).eval();
  }
}

TEST_CASE_TEMPLATE("PyTorch and QHM: x-space and eigen runs agree, in their own state", T, double,
                   momentum::float50) {
  const Quadratic<T> h = family_quadratic<T>();
  const Vector<T> x0 = family_start<T>();
  Vector<T> b0(4);
  b0 << T(1), T(0), T(-1), T(2);
  const T lr = T(1) / 100, m = T(9) / 10, d = T(1) / 10, wd = T(1) / 2;
  for (bool nesterov : {false, true}) {
    check_x_space_against_eigen(PyTorchSGD<T>(lr, m, T(0), T(0), nesterov), h, x0, Vector<T>(), 150);
    check_x_space_against_eigen(PyTorchSGD<T>(lr, m, d, wd, nesterov), h, x0, Vector<T>(), 150);
    check_x_space_against_eigen(PyTorchSGD<T>(lr, m, d, wd, nesterov), h, x0, b0, 150);
  }
  check_x_space_against_eigen(PyTorchSGD<T>(lr, T(0), d, wd), h, x0, Vector<T>(), 150);
  check_x_space_against_eigen(QHM<T>(T(1) / 10, T(7) / 10, T(9) / 10), h, x0, Vector<T>(), 150);
  check_x_space_against_eigen(QHM<T>(T(1) / 10, T(7) / 10, T(9) / 10), h, x0, b0, 150);
}

TEST_CASE_TEMPLATE("PyTorch's SGD follows torch's update, and from t = 1 its family member", T,
                   double, momentum::float50) {
  const Quadratic<T> h = family_quadratic<T>();
  const Vector<T> x0 = family_start<T>();
  const long long steps = 200;
  const T tol = 64 * 4 * epsilon<T>() * T(steps) * 10;
  for (const T& d : {T(0), T(1) / 10, T(1)}) {
    for (const T& wd : {T(0), T(1) / 2}) {
      for (bool nesterov : {false, true}) {
        for (const T& m : {T(0), T(9) / 10}) {
          const PyTorchSGD<T> sgd(T(1) / 100, m, d, wd, nesterov);
          INFO("dampening " << test::str(d) << " wd " << test::str(wd) << " nesterov " << nesterov
                            << " momentum " << test::str(m));
          const auto xs = x_trajectory(sgd, h, x0, Vector<T>(), steps);
          // torch.optim.SGD written out on x itself: d = Q x + c + wd x, b = d first.
          std::vector<Vector<T>> ref{x0};
          Vector<T> x = x0, buf;
          for (long long t = 0; t < steps; ++t) {
            const Vector<T> g = h.Q() * x + h.c() + wd * x;
            Vector<T> step = g;
            if (m != 0) {
              buf = t == 0 ? g : Vector<T>(m * buf + (1 - d) * g);
              step = nesterov ? Vector<T>(g + m * buf) : buf;
            }
            x = x - sgd.lr * step;
            ref.push_back(x);
          }
          CHECK(trajectory_gap(xs, ref) <= tol);
          // The family member on Q + wd I from (x_1, x_0) runs PyTorch's x_{t+1}.
          const Quadratic<T> hs(Matrix<T>(h.Q() + wd * Matrix<T>::Identity(4, 4)), h.c(), h.b());
          const auto fam = x_trajectory(sgd.family(), hs, xs[1], x0, steps - 1);
          CHECK(trajectory_gap(xs, fam, 1) <= tol);
          // The minimizer moves with weight decay.
          // (Gradient descent, momentum 0, contracts by 1 - lr (1 + wd) per step: 0.13 here.)
          if (d != 1 || m == 0)
            CHECK((xs.back() - h.shifted_minimizer(wd)).norm() <
                  (x0 - h.shifted_minimizer(wd)).norm() / (m == 0 ? 5 : 100));
        }
      }
    }
  }
  // With dampening the first step is not the family's from (x_0, x_0): the start changes.
  const PyTorchSGD<T> damped(T(1) / 100, T(9) / 10, T(1) / 2, T(0), true);
  CHECK(trajectory_gap(x_trajectory(damped, h, x0, Vector<T>(), 50),
                       x_trajectory(damped.family(), h, x0, Vector<T>(), 50)) > T(1) / 1000);
}

TEST_CASE_TEMPLATE("QHM follows qhoptim's update, and from t = 1 its family member", T, double,
                   momentum::float50) {
  const Quadratic<T> h = family_quadratic<T>();
  const Vector<T> x0 = family_start<T>();
  const long long steps = 200;
  const T tol = 64 * 4 * epsilon<T>() * T(steps) * 10;
  for (const T& nu : {T(0), T(7) / 10, T(1)}) {
    const QHM<T> q(T(1) / 20, nu, T(9) / 10);
    INFO("nu " << test::str(nu));
    const auto xs = x_trajectory(q, h, x0, Vector<T>(), steps);
    std::vector<Vector<T>> ref{x0};
    Vector<T> x = x0, g = Vector<T>::Zero(4);
    for (long long t = 0; t < steps; ++t) {
      const Vector<T> grad = h.gradient(x);
      g = q.beta * g + (1 - q.beta) * grad;
      x = x - q.alpha * ((1 - nu) * grad + nu * g);
      ref.push_back(x);
    }
    CHECK(trajectory_gap(xs, ref) <= tol);
    const auto fam = x_trajectory(q.family(), h, xs[1], x0, steps - 1);
    CHECK(trajectory_gap(xs, fam, 1) <= tol);
  }
}
