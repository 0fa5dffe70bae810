// Tests for method_form.hpp: every named method's MethodForm is its own block, spectrum, start
// and layout; and a method that exists only as a MethodForm (written here, in no header) runs
// through simulation, verification, iteration counts and the x-error like a named one: adding a
// method is its mapping and its state representation.
#include "test_support.hpp"

#include <momentum/iterations.hpp>
#include <momentum/method_form.hpp>
#include <momentum/residual.hpp>
#include <momentum/simulate.hpp>
#include <momentum/verify.hpp>

using namespace momentum;

namespace {

template <class T, class Method>
void check_form_matches(const Method& m, const T& lambda) {
  const MethodForm<T> f = form_of(m);
  INFO(Method::name << " at lambda = " << test::str(lambda));
  CHECK(std::string(f.name) == Method::name);
  CHECK(f.states == Method::state_size);
  CHECK(f.x_last == detail::x_last<Method>());
  const detail::Block<T> a = f.block(lambda), b = detail::block(m, lambda);
  CHECK(a.M == b.M);
  CHECK(a.sp.rho == b.sp.rho);
  CHECK(a.x_index == b.x_index);
  CHECK(f.spectrum(lambda).rho == spectrum(m, lambda).rho);
  CHECK(f.spectrum(lambda).regime == spectrum(m, lambda).regime);
  CHECK(detail::standard_start_state(f, lambda) == detail::standard_start_state(m, lambda));
}

/// Heavy ball kept as [d_t; x_t] with d_t = x_t - x_{t-1}: d+ = beta d - alpha g(x),
/// x+ = x + d+. Its own matrix per eigenvalue is [[beta, -alpha lambda], [beta, 1 - alpha
/// lambda]], similar to heavy ball's; d_0 = 0 is heavy ball's x_{-1} = x_0.
template <class T>
MethodForm<T> difference_form(const T& alpha, const T& beta) {
  MethodForm<T> f;
  f.name = "heavy-ball-difference";
  f.states = 2;
  f.x_last = true;
  f.block = [=](const T& lambda) {
    detail::Block<T> b;
    b.M << beta, -alpha * lambda, beta, 1 - alpha * lambda;
    b.sp = spectrum(HeavyBall<T>(alpha, beta), lambda);
    b.x_index = 1;
    return b;
  };
  f.spectrum = [=](const T& lambda) { return spectrum(HeavyBall<T>(alpha, beta), lambda); };
  f.kernel = [=](const T& lambda) {
    detail::CoordinateKernel<T> k;
    k.kind = detail::CoordinateKernel<T>::matrix;
    k.a = beta;
    k.b = -alpha * lambda;
    k.c = beta;
    k.d = 1 - alpha * lambda;
    return k;
  };
  f.step = [=](const Matrix<T>& Q, XState<T>& s) {
    s.g.noalias() = Q * s.e;
    s.second = beta * s.second - alpha * s.g;
    s.e += s.second;
  };
  return f;
}

}  // namespace

TEST_CASE_TEMPLATE("form_of: each method's form is its own block, spectrum and start", T, double,
                   momentum::float50) {
  const T lambda = T(3) / 7;
  check_form_matches(GradientDescent<T>(T(1) / 2), lambda);
  check_form_matches(HeavyBall<T>(T(1) / 2, T(1) / 3), lambda);
  check_form_matches(Velocity<T>(T(1) / 2, T(1) / 3), lambda);
  check_form_matches(Nesterov<T>(T(1) / 2, T(1) / 3), lambda);
  check_form_matches(TwoState<T>(T(1) / 2, T(1) / 3, T(1) / 5), lambda);
  check_form_matches(PyTorchSGD<T>(T(1) / 2, T(9) / 10, T(1) / 10, T(1) / 20, true), lambda);
  check_form_matches(QHM<T>(T(1) / 2, T(7) / 10, T(9) / 10), lambda);
  // PyTorch's default second state is its empty buffer, (dampening/momentum)(lambda + wd) z_0.
  const PyTorchSGD<T> p(T(1) / 2, T(9) / 10, T(1) / 10, T(1) / 20);
  Vector<T> l(1), z(1);
  l(0) = lambda;
  z(0) = T(2);
  const Vector<T> w = detail::default_second_eigen(form_of(p), l, z);
  const T factor = T(T(1) / 10) / T(T(9) / 10);  // dampening / momentum, as typed
  CHECK(w(0) == factor * ((lambda + T(1) / 20) * 2));
}

TEST_CASE_TEMPLATE("a method given only as a MethodForm runs through every heavy algorithm", T,
                   double, momentum::float50) {
  using std::abs;
  const T alpha = T(1) / 10, beta = T(1) / 2;
  const HeavyBall<T> hb(alpha, beta);
  const MethodForm<T> d = difference_form(alpha, beta);
  Matrix<T> Q(3, 3);
  Q << 4, 1, 0, 1, 3, 1, 0, 1, 2;
  Vector<T> c(3), x0(3);
  c << 1, -2, T(1) / 3;
  x0 << 5, -1, 2;
  const Quadratic<T> h(Q, c, T(0));
  SimulateOptions so;
  so.steps = 60;
  so.every_step = true;
  so.record_x = true;
  // x-space: the difference form's x_t is heavy ball's (different roundings: to a few ulps).
  const Trajectory<T> a = simulate(d, h, x0, Vector<T>(), so);
  const Trajectory<T> b = simulate(hb, h, x0, Vector<T>(), so);
  REQUIRE(a.points.size() == b.points.size());
  for (std::size_t k = 0; k < a.points.size(); ++k)
    CHECK((a.points[k].x - b.points[k].x).norm() <= test::ulps<T>(64) * (1 + x0.norm()));
  // The same in eigen-coordinates.
  const Trajectory<T> ae = simulate_via_eigen(d, h, x0, Vector<T>(), so);
  for (std::size_t k = 0; k < a.points.size(); ++k)
    CHECK(abs(ae.points[k].error_norm - b.points[k].error_norm) <=
          test::ulps<T>(256) * b.points.front().error_norm);
  // Verification from the standard start holds at heavy ball's rate; a wrong rate fails.
  const T lambda = T(1) / 2;
  VerifyOptions<T> options;
  options.steps = 400;
  const RateVerification<T> v = verify_rate(d, lambda, options);
  INFO(summary(v));
  CHECK(v.holds);
  CHECK(v.rho_computed == spectrum(hb, lambda).rho);
  VerifyOptions<T> wrong = options;
  wrong.rho = T(v.rho_computed * (1 + T(1) / 100));
  CHECK_FALSE(verify_rate(d, lambda, wrong).holds);
  // Iteration counts and the x-error agree with heavy ball's.
  const T eps = T(1) / 1000000;
  CHECK(iterations_to_tolerance(d, h, x0, Vector<T>(), eps).first > 0);
  CHECK(iterations_to_tolerance(d, h, x0, Vector<T>(), eps).first ==
        iterations_to_tolerance(hb, h, x0, Vector<T>(), eps).first);
  CHECK(x_error(d, h.eigenvalues(), eps).count.first ==
        x_error(hb, h.eigenvalues(), eps).count.first);
}
