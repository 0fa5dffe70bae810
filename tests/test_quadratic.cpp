// Tests for quadratic.hpp: validation, the eigen-decomposition, minimizer and minimum, the
// eigen-coordinates, and the decomposition theorem (every method decouples per coordinate).
#include "test_support.hpp"

#include <momentum/iteration_matrix.hpp>
#include <momentum/quadratic.hpp>
#include <momentum/worst_case.hpp>

using namespace momentum;
using test::check_invalid;

namespace {
/// A random symmetric positive definite matrix B B^T + n I with a fixed seed.
template <class T>
Matrix<T> random_spd(std::mt19937_64& g, Eigen::Index n) {
  Matrix<T> B(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) B(i, j) = test::uniform<T>(g, -1, 1);
  return B * B.transpose() / T(n) + Matrix<T>::Identity(n, n) / 10;
}
template <class T>
Vector<T> random_vector(std::mt19937_64& g, Eigen::Index n) {
  Vector<T> v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = test::uniform<T>(g, -2, 2);
  return v;
}
}  // namespace

TEST_CASE_TEMPLATE("the decomposition rebuilds Q; x*, h*, and the eigen-coordinates", T,
                   MOMENTUM_SCALARS) {
  std::mt19937_64 g(3);
  const Eigen::Index n = 6;
  const Matrix<T> Q = random_spd<T>(g, n);
  const Vector<T> c = random_vector<T>(g, n);
  const T b = parse<T>("1.25");
  const Quadratic<T> h(Q, c, b);
  const T tol = test::ulps<T>(256);
  const Matrix<T>& O = h.O();
  CHECK((O.transpose() * h.eigenvalues().asDiagonal() * O - Q).cwiseAbs().maxCoeff() <= tol);
  CHECK((O * O.transpose() - Matrix<T>::Identity(n, n)).cwiseAbs().maxCoeff() <= tol);
  for (Eigen::Index i = 1; i < n; ++i) CHECK(h.eigenvalues()(i - 1) <= h.eigenvalues()(i));
  // x* solves Q x = -c, is where the gradient vanishes, and h* = h(x*).
  CHECK((Q * h.minimizer() + c).cwiseAbs().maxCoeff() <= tol * 10);
  CHECK(h.gradient(h.minimizer()).cwiseAbs().maxCoeff() <= tol * 10);
  CHECK(abs(h.value(h.minimizer()) - h.minimum()) <= tol * 10);
  // h - h* = 1/2 sum lambda_i z_i^2 and the gradient maps to Lambda z.
  const Vector<T> x = random_vector<T>(g, n);
  const Vector<T> z = h.to_eigen(x);
  CHECK(abs(h.value(x) - h.value_eigen(z)) <= tol * 10);
  CHECK((h.rotate_to_eigen(h.gradient(x)) - h.gradient_eigen(z)).cwiseAbs().maxCoeff() <=
        tol * 10);
  CHECK((h.from_eigen(z) - x).cwiseAbs().maxCoeff() <= tol * 10);
}

TEST_CASE_TEMPLATE("Quadratic rejects bad input, naming the argument", T, MOMENTUM_SCALARS) {
  Matrix<T> Q(2, 2);
  Q << T(2), T(1), T(0), T(3);
  check_invalid([&] { Quadratic<T> h(Q); }, {"Q", "symmetric", "Q(2,1)"});
  Q << T(1), T(2), T(2), T(1);  // eigenvalues 3 and -1
  check_invalid([&] { Quadratic<T> h(Q); }, {"Q", "indefinite"});
  Q << T(1), T(1), T(1), T(1);  // eigenvalues 2 and 0
  check_invalid([&] { Quadratic<T> h(Q); }, {"Q", "semidefinite", "no unique minimizer"});
  Q << T(1), T(0), T(0), std::numeric_limits<T>::quiet_NaN();
  check_invalid([&] { Quadratic<T> h(Q); }, {"Q", "finite", "(2,2)"});
  Q << T(2), T(0), T(0), T(3);
  check_invalid([&] { Quadratic<T> h(Q, Vector<T>::Zero(3)); }, {"c", "2 entries"});
  Vector<T> c(2);
  c << T(1), std::numeric_limits<T>::infinity();
  check_invalid([&] { Quadratic<T> h(Q, c); }, {"c", "finite"});
  check_invalid([&] { Quadratic<T> h(Q, Vector<T>::Zero(2), std::numeric_limits<T>::infinity()); },
                {"b", "finite"});
  check_invalid([&] { Quadratic<T> h(Matrix<T>(2, 3)); }, {"Q", "square"});
  check_invalid([&] { Quadratic<T> h(Matrix<T>(0, 0)); }, {"Q", "non-empty"});
  const Quadratic<T> ok(Q);
  check_invalid([&] { (void)ok.value(Vector<T>::Zero(3)); }, {"x", "2 entries"});
  check_invalid([&] { (void)ok.to_eigen(Vector<T>::Zero(1)); }, {"x", "2 entries"});
}

TEST_CASE("a symmetric Q within rounding is accepted and symmetrized") {
  Matrix<double> Q(2, 2);
  Q << 2, 0.1, 0.1 * (1 + 1e-16), 3;
  const Quadratic<double> h(Q);
  CHECK(h.Q()(0, 1) == h.Q()(1, 0));
}

namespace {
/// Simulates `steps` steps of a method in x-space with the whole-problem matrix on the error
/// state, and per eigen-coordinate with the 2x2 blocks; returns the largest discrepancy
/// between O e_t and z_t relative to the state's size.
template <class T, class Method>
T decoupling_gap(const Method& m, const Quadratic<T>& h, const Vector<T>& x0, int steps) {
  const Eigen::Index n = h.dimension();
  const int k = Method::state_size;
  const Matrix<T> M = iteration_matrix(m, h.Q());
  Vector<T> s(k * n);  // x-space: [e_t; e_{t-1}] (or [v; e] for velocity, v0 = 0; or e for GD)
  const Vector<T> e0 = x0 - h.minimizer();
  if (k == 1) s = e0;
  else if (std::string(Method::name) == "velocity") s << Vector<T>::Zero(n), e0;
  else s << e0, e0;
  std::vector<Eigen::Matrix<T, Method::state_size, 1>> zs(static_cast<std::size_t>(n));
  const Vector<T> z0 = h.rotate_to_eigen(e0);
  for (Eigen::Index i = 0; i < n; ++i) {
    auto& zi = zs[static_cast<std::size_t>(i)];
    if (k == 1) zi(0) = z0(i);
    else if (std::string(Method::name) == "velocity") { zi(0) = 0; zi(k - 1) = z0(i); }
    else { zi(0) = z0(i); zi(k - 1) = z0(i); }
  }
  T gap = 0;
  for (int t = 0; t < steps; ++t) {
    s = (M * s).eval();
    for (Eigen::Index i = 0; i < n; ++i) {
      auto& zi = zs[static_cast<std::size_t>(i)];
      zi = (iteration_matrix(m, T(h.eigenvalues()(i))) * zi).eval();
    }
    for (int part = 0; part < k; ++part) {
      const Vector<T> rotated = h.rotate_to_eigen(Vector<T>(s.segment(part * n, n)));
      for (Eigen::Index i = 0; i < n; ++i) {
        const T d = abs(rotated(i) - zs[static_cast<std::size_t>(i)](part)) /
                    (1 + s.cwiseAbs().maxCoeff());
        if (d > gap) gap = d;
      }
    }
  }
  return gap;
}
}  // namespace

TEST_CASE_TEMPLATE("decomposition theorem: x-space simulation equals per-coordinate simulation",
                   T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(5);
  INFO("seed 5");
  const Eigen::Index n = 5;
  const Quadratic<T> h(random_spd<T>(g, n), random_vector<T>(g, n), T(0));
  const Vector<T> x0 = random_vector<T>(g, n);
  const T step = 1 / h.lambda_max();
  const T beta = parse<T>("0.7");
  // Error growth is linear in t for these stable runs; 40 steps, n = 5.
  const T tol = test::ulps<T>(64) * 40 * T(n);
  CHECK(decoupling_gap(GradientDescent<T>(step), h, x0, 40) <= tol);
  CHECK(decoupling_gap(HeavyBall<T>(step, beta), h, x0, 40) <= tol);
  CHECK(decoupling_gap(Velocity<T>(step, beta), h, x0, 40) <= tol);
  CHECK(decoupling_gap(Nesterov<T>(step, beta), h, x0, 40) <= tol);
}

TEST_CASE_TEMPLATE("rho is invariant under an orthogonal similarity of Q", T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(9);
  const Eigen::Index n = 5;
  const Quadratic<T> h(random_spd<T>(g, n));
  const Matrix<T> U = Quadratic<T>(random_spd<T>(g, n)).O();  // a random orthogonal matrix
  const Quadratic<T> hu(Matrix<T>(U * h.Q() * U.transpose()));
  CHECK((h.eigenvalues() - hu.eigenvalues()).cwiseAbs().maxCoeff() <= test::ulps<T>(256));
  const HeavyBall<T> m(1 / h.lambda_max(), parse<T>("0.5"));
  const T r1 = worst_case(m, h).rho, r2 = worst_case(m, hu).rho;
  CHECK(abs(r1 - r2) <= test::ulps<T>(512));
  // And by the general solver on the full 2n x 2n matrices.
  const T g1 = general_spectral_radius(iteration_matrix(m, h.Q()));
  const T g2 = general_spectral_radius(iteration_matrix(m, hu.Q()));
  CHECK(abs(g1 - r1) <= test::ulps<T>(4096));
  CHECK(abs(g2 - r1) <= test::ulps<T>(4096));
}
