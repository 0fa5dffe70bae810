// Tests for iteration_matrix.hpp: R = T A T^{-1}, the block structure of the whole-problem
// matrices, trajectories of matching velocity/heavy-ball starts, and d2l's printed numbers.
#include "test_support.hpp"

#include <momentum/eigen.hpp>
#include <momentum/iteration_matrix.hpp>
#include <momentum/quadratic.hpp>

using namespace momentum;

TEST_CASE_TEMPLATE("R and A: same trace and determinant, and R = T A T^-1", T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(7);
  INFO("seed 7");
  for (int k = 0; k < 200; ++k) {
    const T eta = test::uniform<T>(g, 0.01, 2), beta = test::uniform<T>(g, -1.2, 1.2);
    const T lambda = test::uniform<T>(g, 0.01, 10);
    const auto A = iteration_matrix(HeavyBall<T>(eta, beta), lambda);
    const auto R = iteration_matrix(Velocity<T>(eta, beta), lambda);
    const T scale = 1 + A.cwiseAbs().maxCoeff() + R.cwiseAbs().maxCoeff();
    CHECK(abs(A.trace() - R.trace()) <= test::ulps<T>(8) * scale);
    CHECK(abs(A.determinant() - R.determinant()) <= test::ulps<T>(8) * scale * scale);
    const Eigen::Matrix<T, 2, 2> TAT = similarity_T(eta) * A * similarity_T_inverse(eta);
    CHECK((TAT - R).cwiseAbs().maxCoeff() <= test::ulps<T>(16) * scale / eta);
    CHECK((similarity_T(eta) * similarity_T_inverse(eta) - Eigen::Matrix<T, 2, 2>::Identity())
              .cwiseAbs()
              .maxCoeff() <= test::ulps<T>(4));
  }
  test::check_invalid([] { (void)similarity_T(T(0)); }, {"eta"});
}

TEST_CASE_TEMPLATE("whole-problem matrices are block diagonal after the interleaving", T,
                   MOMENTUM_SCALARS) {
  Vector<T> l(3);
  l << parse<T>("0.2"), T(4), parse<T>("1.5");
  const Matrix<T> Q = l.asDiagonal();
  const T step = parse<T>("0.3"), beta = parse<T>("0.6");
  const auto P = block_permutation(3, 2);
  auto check = [&](const auto& method) {
    const Matrix<T> M = iteration_matrix(method, Q);
    const Matrix<T> B = P * M * P.transpose();
    for (Eigen::Index i = 0; i < 3; ++i) {
      const auto blk = iteration_matrix(method, T(l(i)));
      CHECK((B.block(2 * i, 2 * i, 2, 2) - blk).cwiseAbs().maxCoeff() == 0);
      for (Eigen::Index j = 0; j < 3; ++j)
        if (j != i) CHECK(B.block(2 * i, 2 * j, 2, 2).cwiseAbs().maxCoeff() == 0);
    }
  };
  check(HeavyBall<T>(step, beta));
  check(Velocity<T>(step, beta));
  check(Nesterov<T>(step, beta));
  const Matrix<T> G = iteration_matrix(GradientDescent<T>(step), Q);
  CHECK((G - (Matrix<T>::Identity(3, 3) - step * Q)).cwiseAbs().maxCoeff() == 0);
  test::check_invalid([] { (void)iteration_matrix(HeavyBall<T>(T(1), T(0)), Matrix<T>(2, 3)); },
                      {"Q", "square"});
}

namespace {
// d2l's loop, written exactly as in the source: v1 = beta v1 + 0.2 x1; x1 -= eta v1.
template <class T>
Vector<T> run_velocity(const Matrix<T>& M, Vector<T> state, int steps) {
  for (int t = 0; t < steps; ++t) state = (M * state).eval();
  return state;
}
}  // namespace

TEST_CASE_TEMPLATE("velocity form and heavy ball follow the same x-trajectory from matching starts",
                   T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(11);
  Vector<T> l(2);
  l << parse<T>("0.2"), T(4);
  const Matrix<T> Q = l.asDiagonal();
  for (int k = 0; k < 20; ++k) {
    const T eta = test::uniform<T>(g, 0.05, 0.7), beta = test::uniform<T>(g, 0, 0.95);
    const Velocity<T> vm(eta, beta);
    Vector<T> x0(2), v0(2);
    x0 << test::uniform<T>(g, -5, 5), test::uniform<T>(g, -5, 5);
    v0 << test::uniform<T>(g, -1, 1), test::uniform<T>(g, -1, 1);
    Vector<T> sv(4), sh(4);
    sv << v0, x0;
    sh << x0, heavy_ball_previous_from_velocity(vm, x0, v0);
    const Matrix<T> R = iteration_matrix(vm, Q), A = iteration_matrix(to_heavy_ball(vm), Q);
    for (int t = 1; t <= 30; ++t) {
      sv = (R * sv).eval();
      sh = (A * sh).eval();
      const T scale = 1 + sv.cwiseAbs().maxCoeff();
      CHECK((sv.tail(2) - sh.head(2)).cwiseAbs().maxCoeff() <= test::ulps<T>(64) * t * scale);
      // The velocity is the backward difference: v_t = (x_{t-1} - x_t)/eta.
      CHECK((sv.head(2) - (sh.tail(2) - sh.head(2)) / eta).cwiseAbs().maxCoeff() <=
            test::ulps<T>(64) * t * scale / eta);
    }
  }
}

TEST_CASE_TEMPLATE("d2l's printed trajectories (SPEC section 10)", T, MOMENTUM_SCALARS) {
  // f = 0.1 x1^2 + 2 x2^2, i.e. Q = diag(0.2, 4); start (-5, -2), v0 = 0; 20 steps.
  Vector<T> l(2);
  l << parse<T>("0.2"), T(4);
  const Matrix<T> Q = l.asDiagonal();
  Vector<T> x0(2);
  x0 << T(-5), T(-2);
  struct Row {
    const char* eta;
    const char* beta;  // nullptr: gradient descent
    double x1, x2;     // printed with six decimals
  };
  const Row rows[] = {{"0.4", nullptr, -0.943467, -0.000073},
                      {"0.6", nullptr, -0.387814, -1673.365109},
                      {"0.6", "0.5", 0.007188, 0.002553},
                      {"0.6", "0.25", -0.126340, -0.186632}};
  for (const Row& r : rows) {
    Vector<T> x;
    if (r.beta == nullptr) {
      const Matrix<T> G = iteration_matrix(GradientDescent<T>(parse<T>(r.eta)), Q);
      x = run_velocity(G, x0, 20);
    } else {
      Vector<T> s(4);
      s << Vector<T>::Zero(2), x0;
      x = run_velocity(iteration_matrix(Velocity<T>(parse<T>(r.eta), parse<T>(r.beta)), Q), s, 20)
              .tail(2);
    }
    INFO("eta=" << std::string(r.eta) << " beta=" << std::string(r.beta ? r.beta : "-") << " x=" << test::str(x(0))
                << ", " << test::str(x(1)));
    // Printed to six decimals: the value rounds to the printed one.
    CHECK(abs(x(0) - T(r.x1)) <= T(5) / 10000000);
    CHECK(abs(x(1) - T(r.x2)) <= T(5) / 10000000);
  }
}

TEST_CASE("d2l's trajectories in double agree with the 50-digit ones to 1e-12 relative") {
  auto run = [](auto tag, const char* eta, const char* beta) {
    using T = decltype(tag);
    Vector<T> l(2);
    l << parse<T>("0.2"), T(4);
    const Matrix<T> Q = l.asDiagonal();
    Vector<T> s(4);
    s << T(0), T(0), T(-5), T(-2);
    if (beta == nullptr) {
      Vector<T> x = s.tail(2);
      return run_velocity(iteration_matrix(GradientDescent<T>(parse<T>(eta)), Q), x, 20);
    }
    return Vector<T>(
        run_velocity(iteration_matrix(Velocity<T>(parse<T>(eta), parse<T>(beta)), Q), s, 20)
            .tail(2));
  };
  const std::pair<const char*, const char*> cases[] = {
      {"0.4", nullptr}, {"0.6", nullptr}, {"0.6", "0.5"}, {"0.6", "0.25"}};
  for (const auto& c : cases) {
    const char* eta = c.first;  // not a structured binding: INFO captures it (C++17, Clang)
    const char* beta = c.second;
    const Vector<double> xd = run(0.0, eta, beta);
    const Vector<float50> xr = run(float50(0), eta, beta);
    for (int i = 0; i < 2; ++i) {
      INFO("eta=" << std::string(eta) << " coordinate " << i);
      CHECK(abs(float50(xd(i)) - xr(i)) <= float50(1e-12) * abs(xr(i)));
    }
  }
}

TEST_CASE_TEMPLATE("own matrices of PyTorch and QHM: the family's trace and determinant", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  std::mt19937_64 g(31);
  for (int k = 0; k < 200; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 10);
    const PyTorchSGD<T> p(test::uniform<T>(g, 0, 1.5), k % 5 == 0 ? T(0) : test::uniform<T>(g, 0, 1.1),
                          test::uniform<T>(g, 0, 1), test::uniform<T>(g, 0, 0.5), k % 2 == 0);
    const QHM<T> q(test::uniform<T>(g, 0, 3), test::uniform<T>(g, -0.2, 1.2), test::uniform<T>(g, -0.5, 1.05));
    const auto own_p = iteration_matrix(p, lambda), fam_p = iteration_matrix(p.family(), T(lambda + p.shift()));
    const auto own_q = iteration_matrix(q, lambda), fam_q = iteration_matrix(q.family(), lambda);
    const T tol = test::ulps<T>(64) * (1 + lambda) * (1 + lambda) * 16;
    CHECK(abs(own_p.trace() - fam_p.trace()) <= tol);
    CHECK(abs(own_p.determinant() - fam_p.determinant()) <= tol);
    CHECK(abs(own_q.trace() - fam_q.trace()) <= tol);
    CHECK(abs(own_q.determinant() - fam_q.determinant()) <= tol);
  }
  // The 2n x 2n family matrix on a diagonal Q has each lambda's 2x2 block.
  const TwoState<T> m(T(1) / 4, T(1) / 2, T(1) / 3);
  Matrix<T> Qm = Matrix<T>::Zero(2, 2);
  Qm(0, 0) = 1;
  Qm(1, 1) = 3;
  const Matrix<T> M = iteration_matrix(m, Qm);
  const auto B = iteration_matrix(m, T(3));
  CHECK(M(1, 1) == B(0, 0));
  CHECK(M(1, 3) == B(0, 1));
  CHECK(M(3, 1) == B(1, 0));
}
