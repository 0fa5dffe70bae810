// Tests for noise.hpp: the closed-form stationary variances (SPEC section 7) against the
// Lyapunov solve for every method; the velocity form's Var z equals heavy ball's (its Var v
// does not); a seeded Monte Carlo simulation within a tolerance set by its standard error.
#include "test_support.hpp"

#include <momentum/noise.hpp>
#include <momentum/tuning.hpp>

#include <Eigen/LU>

#include <vector>

using namespace momentum;

namespace {

/// Tolerance for the closed form against the 3x3 solve: the solve's relative error is a few
/// dozen eps times the condition number ||A||_inf ||A^{-1}||_inf of the Lyapunov system
/// (about 1/(1 - rho^2), more near a double root where the eigenvectors are nearly parallel);
/// the closed form adds a few roundings.
template <class T>
T lyapunov_tol(const Eigen::Matrix<T, 2, 2>& M) {
  const T &a = M(0, 0), &b = M(0, 1), &c = M(1, 0), &d = M(1, 1);
  Eigen::Matrix<T, 3, 3> A;
  A << 1 - a * a, -2 * a * b, -b * b, -a * c, 1 - (a * d + b * c), -b * d, -c * c, -2 * c * d,
      1 - d * d;
  const Eigen::Matrix<T, 3, 3> Ai = A.inverse();
  auto inf_norm = [](const Eigen::Matrix<T, 3, 3>& X) { return T(X.cwiseAbs().rowwise().sum().maxCoeff()); };
  return 64 * epsilon<T>() * inf_norm(A) * inf_norm(Ai);
}

}  // namespace

TEST_CASE_TEMPLATE("closed-form stationary variances equal the Lyapunov solve", T, MOMENTUM_SCALARS) {
  using std::abs;
  std::mt19937_64 g(424242);
  INFO("seed 424242");
  int checked = 0;
  for (int k = 0; k < 400; ++k) {
    const T lambda = test::uniform<T>(g, 0.1, 10);
    const T step = test::uniform<T>(g, 0.001, 0.5);
    const T beta = test::uniform<T>(g, -0.9, 0.99);
    const T sigma = test::uniform<T>(g, 0.1, 3);
    auto check = [&](const auto& m) {
      const Spectrum<T> sp = spectrum(m, lambda);
      const NoiseStationary<T> ly = stationary_covariance(m, lambda, sigma);
      const T cf = stationary_variance(m, lambda, sigma);
      if (!sp.converges()) {
        CHECK_FALSE(ly.exists);
        CHECK_FALSE(is_finite(cf));
        return;
      }
      ++checked;
      const auto M = detail::block(m, lambda).M;
      const T tol = lyapunov_tol(M);
      INFO(std::string(std::decay_t<decltype(m)>::name) << " lambda " << test::str(lambda) << " step " << test::str(step)
                             << " beta " << test::str(beta));
      REQUIRE(ly.exists);
      CHECK(abs(ly.variance - cf) <= tol * cf);
      CHECK(abs(ly.excess_loss - lambda * cf / 2) <= tol * lambda * cf);
      // P solves P = M P M^T + sigma^2 u u^T.
      const Eigen::Matrix<T, 2, 1> u = noise_input(m);
      const Eigen::Matrix<T, 2, 2> R =
          ly.covariance - M * ly.covariance * M.transpose() - (sigma * sigma) * (u * u.transpose());
      CHECK(R.cwiseAbs().maxCoeff() <= tol * ly.covariance.cwiseAbs().maxCoeff());
    };
    check(HeavyBall<T>(step, beta));
    check(Velocity<T>(step, beta));
    check(Nesterov<T>(step, beta));
    check(GradientDescent<T>(step));
  }
  CHECK(checked > 800);
}

TEST_CASE_TEMPLATE("velocity form: same Var z as heavy ball, different Var v", T, MOMENTUM_SCALARS) {
  using std::abs;
  // The noise enters the velocity update, u = (1, -eta) on [v; z]; since eta v_t = z_{t-1} - z_t
  // exactly, the z-process is heavy ball's with alpha = eta, so the SPEC's "velocity form gives
  // the same" holds for Var z. Var v is (Var z_{t-1} - 2 Cov + Var z_t)/eta^2 = 2(p - c)/eta^2.
  const Velocity<T> vel(T(1) / 20, T(9) / 10);
  const T lambda(3), sigma(2);
  const NoiseStationary<T> v = stationary_covariance(vel, lambda, sigma);
  const NoiseStationary<T> h = stationary_covariance(to_heavy_ball(vel), lambda, sigma);
  const T tol = lyapunov_tol(iteration_matrix(vel, lambda)) + lyapunov_tol(iteration_matrix(to_heavy_ball(vel), lambda));
  CHECK(abs(v.variance - h.variance) <= tol * h.variance);
  CHECK(abs(v.covariance(1, 1) - h.covariance(0, 0)) <= tol * h.variance);
  // p - c is a difference of nearly equal numbers: its relative error is tol p/(p - c).
  const T var_v = 2 * (h.covariance(0, 0) - h.covariance(0, 1)) / (vel.eta * vel.eta);
  CHECK(abs(v.covariance(0, 0) - var_v) <=
        tol * (h.covariance(0, 0) / (h.covariance(0, 0) - h.covariance(0, 1))) * var_v);
  CHECK(abs(v.covariance(0, 0) - v.covariance(1, 1)) > T(1) / 10 * v.covariance(1, 1));
  // beta = 0: gradient descent's eta sigma^2 / (lambda (2 - eta lambda)).
  const T gd = stationary_variance(GradientDescent<T>(T(1) / 20), lambda, sigma);
  CHECK(abs(stationary_variance(HeavyBall<T>(T(1) / 20, T(0)), lambda, sigma) - gd) <=
        16 * epsilon<T>() * gd);
  CHECK(abs(gd - T(1) / 20 * 4 / (3 * (2 - T(3) / 20))) <= 16 * epsilon<T>() * gd);
}

TEST_CASE("Monte Carlo: sample variances agree with the closed forms within 5 standard errors") {
  // N independent chains, each started at the minimizer and run B steps with Gaussian noise of
  // variance sigma^2 (std::normal_distribution on a seeded mt19937_64). z_B is Gaussian with
  // variance V_B = V - (M^B P M^B^T)_zz, and |V - V_B| <= ||M^B||^2 V <= 1e-12 V for B = 400
  // here (rho <= 0.95, ||M^B|| <= E(B) < 1e-6). For N iid N(0, V) samples the sample variance
  // has standard error V sqrt(2/(N - 1)) = 0.0063 V for N = 50000, so |S^2 - V| <= 5 SE fails
  // with probability 6e-7 (and the seed fixes the outcome).
  const int N = 50000, B = 400;
  const double lambda = 2, sigma = 1.5;
  std::mt19937_64 gen(20261124);
  INFO("seed 20261124");
  std::normal_distribution<double> xi(0.0, sigma);
  auto sample_variance = [&](auto step) {
    double sum = 0, sum2 = 0;
    for (int k = 0; k < N; ++k) {
      double a = 0, b = 0;  // the block state
      for (int t = 0; t < B; ++t) step(a, b, xi(gen));
      const double z = b;
      sum += z;
      sum2 += z * z;
    }
    const double mean = sum / N;
    return (sum2 - N * mean * mean) / (N - 1);
  };
  const double alpha = 0.1, beta = 0.7;
  // Heavy ball, state (z_prev in a, z in b): z+ = z - alpha (lambda z + xi) + beta (z - z-).
  const double hb = sample_variance([&](double& a, double& b, double x) {
    const double z = b - alpha * (lambda * b + x) + beta * (b - a);
    a = b;
    b = z;
  });
  // Velocity form, state (v in a, z in b): v+ = beta v + lambda z + xi; z+ = z - eta v+.
  const double vel = sample_variance([&](double& a, double& b, double x) {
    a = beta * a + lambda * b + x;
    b = b - alpha * a;
  });
  // Nesterov: y = z + beta (z - z-); z+ = y - alpha (lambda y + xi).
  const double nes = sample_variance([&](double& a, double& b, double x) {
    const double y = b + beta * (b - a);
    a = b;
    b = y - alpha * (lambda * y + x);
  });
  // Gradient descent: z+ = z - alpha (lambda z + xi).
  const double gd = sample_variance([&](double& a, double& b, double x) {
    (void)a;
    b = b - alpha * (lambda * b + x);
  });
  const double se = std::sqrt(2.0 / (N - 1));
  const double v_hb = stationary_variance(HeavyBall<double>(alpha, beta), lambda, sigma);
  const double v_nes = stationary_variance(Nesterov<double>(alpha, beta), lambda, sigma);
  const double v_gd = stationary_variance(GradientDescent<double>(alpha), lambda, sigma);
  INFO("hb " << hb << " vs " << v_hb << ", velocity " << vel << ", nesterov " << nes << " vs "
             << v_nes << ", gd " << gd << " vs " << v_gd);
  CHECK(std::abs(hb - v_hb) <= 5 * se * v_hb);
  CHECK(std::abs(vel - v_hb) <= 5 * se * v_hb);
  CHECK(std::abs(nes - v_nes) <= 5 * se * v_nes);
  CHECK(std::abs(gd - v_gd) <= 5 * se * v_gd);
  // The burn-in claim: ||M^B|| is negligible for each method.
  CHECK(power_norm(HeavyBall<double>(alpha, beta), lambda, B) < 1e-6);
  CHECK(power_norm(Nesterov<double>(alpha, beta), lambda, B) < 1e-6);
  CHECK(power_norm(Velocity<double>(alpha, beta), lambda, B) < 1e-6);
}

TEST_CASE_TEMPLATE("expected excess loss over a spectrum", T, MOMENTUM_SCALARS) {
  using std::abs;
  Vector<T> lambdas(3);
  lambdas << T(1), T(10), T(100);
  const auto hb = optimal_heavy_ball(T(1), T(100)).method;
  const T sigma(1);
  T sum(0);
  for (int i = 0; i < 3; ++i) sum += stationary_covariance(hb, T(lambdas(i)), sigma).excess_loss;
  const T e = expected_excess_loss(hb, lambdas, sigma);
  CHECK(abs(e - sum) <= 1024 * epsilon<T>() * e);
  // sigma = 0: no noise, no excess loss.
  CHECK(expected_excess_loss(hb, lambdas, T(0)) == 0);
  // A divergent direction has no stationary law.
  CHECK_FALSE(is_finite(expected_excess_loss(HeavyBall<T>(T(1) / 20, T(1) / 2), lambdas, sigma)));
  CHECK_FALSE(stationary_covariance(HeavyBall<T>(T(1) / 20, T(1) / 2), T(100), sigma).exists);
  test::check_invalid([&] { (void)stationary_variance(hb, T(1), T(-1)); },
                      {"stationary_variance", "sigma must be finite and non-negative"});
  test::check_invalid([&] { (void)expected_excess_loss(hb, Vector<T>(), sigma); },
                      {"lambdas must not be empty"});
}

// ---------------------------------------------------------------------------------------------
// The two-state family, PyTorch's SGD and QHM (SPEC section 11).

namespace {

/// Var z of a literal update from its impulse response: the update run from the zero state
/// with noise 1 at the first step and 0 after; Var z = sigma^2 sum_t z_t^2 (an independent
/// derivation of M and u: `step(b, z, noise)` is the algorithm as its library writes it).
template <class T, class Step>
T impulse_variance(const Step& step, const T& sigma, long long steps) {
  T b(0), z(0), sum(0);
  for (long long t = 0; t < steps; ++t) {
    step(b, z, t == 0 ? T(1) : T(0));
    sum += z * z;
  }
  return sigma * sigma * sum;
}

}  // namespace

TEST_CASE_TEMPLATE("TwoState: closed form = Lyapunov solve = heavy ball's and Nesterov's", T, double,
                   momentum::float50) {
  using std::abs;
  std::mt19937_64 g(171717);
  INFO("seed 171717");
  int checked = 0;
  for (int k = 0; k < 300; ++k) {
    const T lambda = test::uniform<T>(g, 0.1, 10);
    const T alpha = test::uniform<T>(g, 0.01, 0.5);
    const T beta = test::uniform<T>(g, 0, 0.95);
    const T gamma = test::uniform<T>(g, -0.5, 2);
    const TwoState<T> m(alpha, beta, gamma);
    const T sigma = T(3) / 2;
    const NoiseStationary<T> st = stationary_covariance(m, lambda, sigma);
    if (!st.exists) {
      CHECK(stationary_variance(m, lambda, sigma) == std::numeric_limits<T>::infinity());
      continue;
    }
    ++checked;
    const T cf = stationary_variance(m, lambda, sigma);
    INFO("alpha " << test::str(alpha) << " beta " << test::str(beta) << " gamma " << test::str(gamma)
                  << " lambda " << test::str(lambda));
    CHECK(abs(cf - st.variance) <= lyapunov_tol(iteration_matrix(m, lambda)) * cf);
    const T tol = 64 * epsilon<T>() * lyapunov_tol(iteration_matrix(m, lambda)) / epsilon<T>();
    const T hb = stationary_variance(HeavyBall<T>(alpha, beta), lambda, sigma);
    const T fam0 = stationary_variance(TwoState<T>(alpha, beta, T(0)), lambda, sigma);
    if (is_finite(hb)) CHECK(abs(fam0 - hb) <= tol * hb);
    const T nag = stationary_variance(Nesterov<T>(alpha, beta), lambda, sigma);
    const T famb = stationary_variance(TwoState<T>(alpha, beta, beta), lambda, sigma);
    if (is_finite(nag)) CHECK(abs(famb - nag) <= tol * nag);
  }
  CHECK(checked > 100);
}

TEST_CASE_TEMPLATE("PyTorch and QHM: the Lyapunov variance is their own update's impulse response", T,
                   double, momentum::float50) {
  using std::abs;
  const T sigma = T(1) / 2;
  const long long steps = 4000;  // rho < 0.96 below: the tail is beyond 1e-70
  for (const T& lambda : {T(1) / 2, T(3), T(9)}) {
    for (bool nesterov : {false, true}) {
      for (const T& d : {T(0), T(3) / 10}) {
        for (const T& m : {T(0), T(4) / 5}) {
          const T lr = T(1) / 20, wd = T(1) / 10;
          const PyTorchSGD<T> sgd(lr, m, d, wd, nesterov);
          INFO("lambda " << test::str(lambda) << " nesterov " << nesterov << " dampening "
                         << test::str(d) << " momentum " << test::str(m));
          // torch.optim.SGD with noise xi added to the gradient (l = lambda + wd), in its
          // stationary regime: the buffer exists (its undamped first step is long past).
          const T l = lambda + wd;
          auto step = [&](T& b, T& z, const T& xi) {
            const T dp = l * z + xi;
            if (m == 0) {
              z -= lr * dp;
              return;
            }
            b = m * b + (1 - d) * dp;
            z -= lr * (nesterov ? T(dp + m * b) : b);
          };
          const NoiseStationary<T> st = stationary_covariance(sgd, lambda, sigma);
          REQUIRE(st.exists);
          const T ir = impulse_variance<T>(step, sigma, steps);
          const T tol = lyapunov_tol(iteration_matrix(sgd, lambda)) * 4;
          CHECK(abs(st.variance - ir) <= tol * ir);
          CHECK(stationary_variance(sgd, lambda, sigma) == st.variance);
          CHECK(abs(st.excess_loss - l * st.variance / 2) <= tol * st.excess_loss);
          // Without nesterov the x-process is heavy ball's with alpha = lr (1 - dampening).
          if (!nesterov && m != 0) {
            const T hb = stationary_variance(HeavyBall<T>(T(lr * (1 - d)), m), l, sigma);
            CHECK(abs(st.variance - hb) <= tol * hb);
          }
          // With nesterov and momentum the noise enters twice: not the family's input.
          if (nesterov && m != 0) {
            const T fam = stationary_covariance(sgd.family(), l, sigma).variance;
            CHECK(abs(st.variance - fam) > fam / 100);
          }
        }
      }
    }
  }
  for (const T& nu : {T(0), T(7) / 10, T(1)}) {
    const QHM<T> q(T(1) / 4, nu, T(9) / 10);
    for (const T& lambda : {T(1) / 2, T(3)}) {
      INFO("qhm nu " << test::str(nu) << " lambda " << test::str(lambda));
      auto step = [&](T& g, T& z, const T& xi) {
        const T grad = lambda * z + xi;
        g = q.beta * g + (1 - q.beta) * grad;
        z -= q.alpha * ((1 - nu) * grad + nu * g);
      };
      const NoiseStationary<T> st = stationary_covariance(q, lambda, sigma);
      REQUIRE(st.exists);
      const T ir = impulse_variance<T>(step, sigma, 20000);
      CHECK(abs(st.variance - ir) <= lyapunov_tol(iteration_matrix(q, lambda)) * 4 * ir);
    }
  }
}
