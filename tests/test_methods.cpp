// Tests for methods.hpp: validation on construction and the velocity <-> heavy-ball maps.
#include "test_support.hpp"

#include <momentum/iteration_matrix.hpp>
#include <momentum/methods.hpp>

using namespace momentum;
using test::check_invalid;

TEST_CASE_TEMPLATE("methods reject non-finite parameters, naming them", T, MOMENTUM_SCALARS) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T inf = std::numeric_limits<T>::infinity();
  check_invalid([&] { GradientDescent<T> m(nan); }, {"gradient_descent", "eta", "finite"});
  check_invalid([&] { HeavyBall<T> m(inf, T(0)); }, {"heavy_ball", "alpha", "finite"});
  check_invalid([&] { HeavyBall<T> m(T(1), nan); }, {"heavy_ball", "beta", "finite"});
  check_invalid([&] { Velocity<T> m(T(-inf), T(0)); }, {"velocity", "eta", "finite"});
  check_invalid([&] { Velocity<T> m(T(1), inf); }, {"velocity", "beta", "finite"});
  check_invalid([&] { Nesterov<T> m(nan, T(0)); }, {"nesterov", "alpha", "finite"});
  check_invalid([&] { Nesterov<T> m(T(1), nan); }, {"nesterov", "beta", "finite"});
}

TEST_CASE_TEMPLATE("any finite parameters are accepted: they are questions, not errors", T,
                   MOMENTUM_SCALARS) {
  CHECK_NOTHROW(GradientDescent<T>(T(-3)));
  CHECK_NOTHROW(HeavyBall<T>(T(0), T(2)));
  CHECK_NOTHROW(Velocity<T>(T(100), T(-5)));
  CHECK_NOTHROW(Nesterov<T>(T(-1), T(1)));
}

TEST_CASE_TEMPLATE("velocity <-> heavy ball conversions and matching starts", T,
                   MOMENTUM_SCALARS) {
  const Velocity<T> v(parse<T>("0.6"), parse<T>("0.5"));
  const HeavyBall<T> hb = to_heavy_ball(v);
  CHECK(hb.alpha == v.eta);
  CHECK(hb.beta == v.beta);
  const Velocity<T> back = to_velocity(hb);
  CHECK(back.eta == v.eta);
  CHECK(back.beta == v.beta);

  Vector<T> x0(2), v0(2);
  x0 << T(-5), T(-2);
  v0 << T(1) / 4, T(-3);
  const Vector<T> xprev = heavy_ball_previous_from_velocity(v, x0, v0);
  const Vector<T> v0_again = velocity_from_heavy_ball_previous(v, x0, xprev);
  CHECK((v0_again - v0).cwiseAbs().maxCoeff() <= test::ulps<T>(8) * 4);
  check_invalid([&] { (void)velocity_from_heavy_ball_previous(Velocity<T>(T(0), T(0)), x0, x0); },
                {"eta"});
}

TEST_CASE_TEMPLATE("the family and its parameterizations: exact maps and validation", T, MOMENTUM_SCALARS) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  check_invalid([&] { TwoState<T> m(T(1), T(0), nan); }, {"general", "gamma", "finite"});
  check_invalid([&] { PyTorchSGD<T> m(T(1), T(0), nan); }, {"pytorch", "dampening", "finite"});
  check_invalid([&] { QHM<T> m(T(1), nan, T(0)); }, {"qhm", "nu", "finite"});
  // Named methods: heavy ball gamma = 0, Nesterov gamma = beta, GD beta = gamma = 0.
  const T a = T(1) / 4, b = T(3) / 4;
  CHECK(family(Nesterov<T>(a, b)).alpha_gamma == a * b);
  CHECK(family(HeavyBall<T>(a, b)).alpha_gamma == 0);
  CHECK(family(Velocity<T>(a, b)).alpha == a);
  CHECK(family(GradientDescent<T>(a)).beta == 0);
  // PyTorch: (lr (1 - d), m, 0); nesterov (lr (1 - m d), m, lr m); momentum 0: (lr, 0, 0).
  const PyTorchSGD<T> p(T(1) / 2, b, T(1) / 4, T(1) / 8, false), pn(T(1) / 2, b, T(1) / 4, T(0), true);
  CHECK(p.family().alpha == T(3) / 8);
  CHECK(p.family().beta == b);
  CHECK(p.family().alpha_gamma == 0);
  CHECK(p.shift() == T(1) / 8);
  CHECK(pn.family().alpha == T(13) / 32);
  CHECK(pn.family().alpha_gamma == T(3) / 8);
  CHECK(PyTorchSGD<T>(T(1) / 2, T(0), T(1) / 4).family().alpha == T(1) / 2);
  // m d = 1 with nesterov: alpha = 0 and alpha gamma = lr m, gamma infinite.
  const TwoState<T> inf_gamma = PyTorchSGD<T>(T(1) / 2, T(1) / 2, T(2), T(0), true).family();
  CHECK(inf_gamma.alpha == 0);
  CHECK(inf_gamma.alpha_gamma == T(1) / 4);
  CHECK_FALSE(inf_gamma.gamma_finite);
  // QHM: (alpha (1 - beta), beta, alpha beta (1 - nu)); nu = 1 is heavy ball, beta = 1 alpha 0.
  const QHM<T> q(T(2), T(1) / 2, b);
  CHECK(q.family().alpha == T(1) / 2);
  CHECK(q.family().alpha_gamma == T(3) / 4);
  CHECK(QHM<T>(T(2), T(1), b).family().alpha_gamma == 0);
  CHECK_FALSE(QHM<T>(T(2), T(1) / 2, T(1)).family().gamma_finite);
}
