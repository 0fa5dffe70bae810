#pragma once
/// \file noise.hpp
/// SGD with momentum under additive gradient noise (SPEC section 7; proofs/noise_variance.md):
/// each step sees g + xi with xi independent, mean 0, covariance sigma^2 I. In eigen-coordinates
/// every direction then receives independent noise of variance sigma^2, and its state obeys
/// s+ = M s + xi u with
///   heavy ball  s = [z; z-], u = (-alpha, 0)   (z+ = ... - alpha (lambda z + xi))
///   Nesterov    s = [z; z-], u = (-alpha, 0)   (z+ = y - alpha (lambda y + xi))
///   velocity    s = [v; z],  u = (1, -eta)     (v+ = beta v + lambda z + xi; z+ = z - eta v+)
///   TwoState    s = [z; z-], u = (-alpha, 0)   (the gradient at y = z + gamma (z - z-) sees xi)
///   PyTorch     s = [b-; z], u = (k, -lr k) or, with nesterov, (k, -lr (1 + momentum k)),
///               k = 1 - dampening (1 when momentum = 0): d = l z + xi enters the buffer
///               b = momentum b- + k d and, with nesterov, the step d + momentum b again
///               (weight decay adds wd z to d, no noise); so PyTorch's noise is not its family
///               member's (-alpha, 0) unless nesterov is off (then its x-process is heavy ball's
///               with alpha = lr k, noise included)
///   QHM         s = [g; z],  u = (1 - beta, -alpha (1 - nu beta))
///               (g+ = beta g + (1 - beta)(lambda z + xi); z+ = z - alpha ((1 - nu)(lambda z + xi)
///               + nu g+))
///   GD          s = z,       u = -eta.
/// When rho(M) < 1 the covariance converges to the unique solution of the discrete Lyapunov
/// equation P = M P M^T + sigma^2 u u^T; the velocity form's x-process is heavy ball's with
/// alpha = eta (x+ = x - eta (g + xi) + beta (x - x-) since eta v_t = x_{t-1} - x_t exactly), so
/// its Var z is heavy ball's (its Var v differs).

#include <momentum/powers.hpp>

#include <array>
#include <limits>

namespace momentum {

/// The stationary second moments of one eigen-coordinate.
template <class S>
struct NoiseStationary {
  bool exists = false;  ///< rho < 1 (else the covariance grows without bound)
  /// The stationary covariance P of the block state ([z; z-], [v; z]; GD: P(0,0), rest 0).
  Eigen::Matrix<S, 2, 2> covariance = Eigen::Matrix<S, 2, 2>::Zero();
  S variance = S(0);     ///< Var z, the error coordinate (+infinity if !exists)
  S excess_loss = S(0);  ///< E[h - h*] contributed: (lambda/2) Var z (+infinity if !exists)
};

/// Solves P = M P M^T + G for a symmetric 2x2 P: three linear equations in (p11, p12, p22)
///   p11 - (m11^2 p11 + 2 m11 m12 p12 + m12^2 p22) = g11
///   p12 - (m11 m21 p11 + (m11 m22 + m12 m21) p12 + m12 m22 p22) = g12
///   p22 - (m21^2 p11 + 2 m21 m22 p12 + m22^2 p22) = g22,
/// by Gaussian elimination with partial pivoting. The system is non-singular iff no product of
/// two eigenvalues of M equals 1 (in particular whenever rho(M) < 1).
/// \throws std::runtime_error if the system is singular to working precision.
template <class S>
Eigen::Matrix<S, 2, 2> lyapunov_2x2(const Eigen::Matrix<S, 2, 2>& M, const Eigen::Matrix<S, 2, 2>& G) {
  using std::abs;
  const S &a = M(0, 0), &b = M(0, 1), &c = M(1, 0), &d = M(1, 1);
  std::array<std::array<S, 4>, 3> A = {{
      {S(1 - a * a), S(-2 * a * b), S(-b * b), G(0, 0)},
      {S(-a * c), S(1 - (a * d + b * c)), S(-b * d), S((G(0, 1) + G(1, 0)) / 2)},
      {S(-c * c), S(-2 * c * d), S(1 - d * d), G(1, 1)},
  }};
  S scale(0);
  for (auto& row : A)
    for (int k = 0; k < 3; ++k) scale = abs(row[static_cast<std::size_t>(k)]) > scale ? S(abs(row[static_cast<std::size_t>(k)])) : scale;
  for (std::size_t col = 0; col < 3; ++col) {
    std::size_t piv = col;
    for (std::size_t r = col + 1; r < 3; ++r)
      if (abs(A[r][col]) > abs(A[piv][col])) piv = r;
    if (!(abs(A[piv][col]) > 64 * epsilon<S>() * scale))
      throw std::runtime_error("lyapunov_2x2: the Lyapunov system is singular (a product of two "
                               "eigenvalues of M equals 1)");
    std::swap(A[col], A[piv]);
    for (std::size_t r = col + 1; r < 3; ++r) {
      const S f = A[r][col] / A[col][col];
      for (std::size_t k = col; k < 4; ++k) A[r][k] -= f * A[col][k];
    }
  }
  std::array<S, 3> x;
  for (int i = 2; i >= 0; --i) {
    const std::size_t ui = static_cast<std::size_t>(i);
    S v = A[ui][3];
    for (std::size_t k = ui + 1; k < 3; ++k) v -= A[ui][k] * x[k];
    x[ui] = v / A[ui][ui];
  }
  Eigen::Matrix<S, 2, 2> P;
  P(0, 0) = x[0];
  P(0, 1) = P(1, 0) = x[1];
  P(1, 1) = x[2];
  return P;
}

/// The vector u through which the gradient noise enters the block state (see the file comment).
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const GradientDescent<S>& m) {
  return Eigen::Matrix<S, 2, 1>(S(-m.eta), S(0));
}
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const HeavyBall<S>& m) {
  return Eigen::Matrix<S, 2, 1>(S(-m.alpha), S(0));
}
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const Nesterov<S>& m) {
  return Eigen::Matrix<S, 2, 1>(S(-m.alpha), S(0));
}
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const Velocity<S>& m) {
  return Eigen::Matrix<S, 2, 1>(S(1), S(-m.eta));
}
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const TwoState<S>& m) {
  return Eigen::Matrix<S, 2, 1>(S(-m.alpha), S(0));
}
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const PyTorchSGD<S>& m) {
  const S k = m.momentum == 0 ? S(1) : S(1 - m.dampening);
  if (m.nesterov && m.momentum != 0)
    return Eigen::Matrix<S, 2, 1>(k, S(-m.lr * (1 + m.momentum * k)));
  return Eigen::Matrix<S, 2, 1>(k, S(-m.lr * k));
}
template <class S>
Eigen::Matrix<S, 2, 1> noise_input(const QHM<S>& m) {
  return Eigen::Matrix<S, 2, 1>(S(1 - m.beta), S(-m.alpha * (1 - m.nu * m.beta)));
}

namespace detail {
template <class S>
void require_sigma(const S& sigma, const char* who) {
  if (!is_finite(sigma) || sigma < 0)
    throw std::invalid_argument(std::string(who) + ": sigma must be finite and non-negative, got " +
                                to_string(sigma, 17));
}
}  // namespace detail

/// The stationary covariance of one eigen-coordinate from the Lyapunov equation
/// P = M P M^T + sigma^2 u u^T (proofs/noise_variance.md), with Var z and (lambda/2) Var z
/// (PyTorch: (lambda + weight_decay)/2 Var z, the objective it minimizes), M and u in the
/// method's own state.
/// When rho >= 1 no stationary law exists: exists = false, variance = excess_loss = +infinity.
/// \throws std::invalid_argument if sigma is negative or not finite.
template <class Method, class S>
NoiseStationary<S> stationary_covariance(const Method& method, const S& lambda, const S& sigma) {
  detail::require_sigma(sigma, "stationary_covariance");
  NoiseStationary<S> r;
  const detail::Block<S> b = detail::block(method, lambda);
  if (!spectrum(method, lambda).converges()) {
    r.exists = false;
    r.variance = r.excess_loss = std::numeric_limits<S>::infinity();
    return r;
  }
  r.exists = true;
  const Eigen::Matrix<S, 2, 1> u = noise_input(method);
  const Eigen::Matrix<S, 2, 2> G = (sigma * sigma) * (u * u.transpose());
  if constexpr (Method::state_size == 1) {
    // 1x1: p = q^2 p + eta^2 sigma^2.
    const S q = b.M(0, 0);
    r.covariance(0, 0) = G(0, 0) / (1 - q * q);
  } else {
    r.covariance = lyapunov_2x2(b.M, G);
  }
  r.variance = r.covariance(b.x_index, b.x_index);
  r.excess_loss = detail::seen_eigenvalue(method, lambda) * r.variance / 2;
  return r;
}

/// Var z in closed form (SPEC section 7; proofs/noise_variance.md, Coq: hb_stationary_variance,
/// nes_stationary_variance, vel_stationary_variance), from the companion solution
/// p = g (1 + b)/((1 - b)(1 + b - tau)(1 + b + tau)) with g = alpha^2 sigma^2:
///   heavy ball, velocity form (alpha = eta):
///       alpha sigma^2 (1 + beta) / (lambda (1 - beta)(2(1 + beta) - alpha lambda)),
///   Nesterov, q = 1 - alpha lambda:
///       alpha sigma^2 (1 + beta q) / (lambda (1 - beta q)(1 + (1 + 2 beta) q)),
///   GD: eta sigma^2 / (lambda (2 - eta lambda)).
/// +infinity when rho >= 1 (no stationary law). \throws std::invalid_argument if sigma < 0 or is
/// not finite.
template <class S>
S stationary_variance(const HeavyBall<S>& m, const S& lambda, const S& sigma) {
  detail::require_sigma(sigma, "stationary_variance");
  if (!spectrum(m, lambda).converges()) return std::numeric_limits<S>::infinity();
  const S s = m.alpha * lambda;
  return m.alpha * m.alpha * sigma * sigma * (1 + m.beta) /
         ((1 - m.beta) * s * (2 * (1 + m.beta) - s));
}
template <class S>
S stationary_variance(const Velocity<S>& m, const S& lambda, const S& sigma) {
  return stationary_variance(to_heavy_ball(m), lambda, sigma);
}
template <class S>
S stationary_variance(const Nesterov<S>& m, const S& lambda, const S& sigma) {
  detail::require_sigma(sigma, "stationary_variance");
  if (!spectrum(m, lambda).converges()) return std::numeric_limits<S>::infinity();
  const S s = m.alpha * lambda;
  const S q = 1 - s;
  return m.alpha * m.alpha * sigma * sigma * (1 + m.beta * q) /
         ((1 - m.beta * q) * s * (1 + (1 + 2 * m.beta) * q));
}
/// The two-state family, from the same companion solution with tau = 1 + beta - (alpha +
/// alpha gamma) lambda and b = beta - alpha gamma lambda (1 + b - tau = alpha lambda):
///   alpha sigma^2 (1 + b) / (lambda (1 - b)(2 (1 + beta) - (alpha + 2 alpha gamma) lambda)),
/// heavy ball's at gamma = 0 and Nesterov's at gamma = beta.
template <class S>
S stationary_variance(const TwoState<S>& m, const S& lambda, const S& sigma) {
  detail::require_sigma(sigma, "stationary_variance");
  if (!spectrum(m, lambda).converges()) return std::numeric_limits<S>::infinity();
  const S b = m.beta - m.alpha_gamma * lambda;
  return m.alpha * sigma * sigma * (1 + b) /
         (lambda * (1 - b) * (2 * (1 + m.beta) - (m.alpha + 2 * m.alpha_gamma) * lambda));
}
/// PyTorch and QHM: Var z of the Lyapunov solution in their own state with their own noise
/// input (stationary_covariance; no closed form here).
template <class S>
S stationary_variance(const PyTorchSGD<S>& m, const S& lambda, const S& sigma) {
  return stationary_covariance(m, lambda, sigma).variance;
}
template <class S>
S stationary_variance(const QHM<S>& m, const S& lambda, const S& sigma) {
  return stationary_covariance(m, lambda, sigma).variance;
}
template <class S>
S stationary_variance(const GradientDescent<S>& m, const S& lambda, const S& sigma) {
  detail::require_sigma(sigma, "stationary_variance");
  if (!spectrum(m, lambda).converges()) return std::numeric_limits<S>::infinity();
  const S s = m.eta * lambda;
  return m.eta * m.eta * sigma * sigma / (s * (2 - s));
}

/// The stationary expected excess loss over a spectrum, E[h - h*] = sum_i (lambda_i/2) Var z_i
/// (proofs/noise_variance.md, "Excess loss"), from the closed forms (PyTorch: with lambda_i +
/// weight_decay, the objective it minimizes). +infinity if any direction
/// has no stationary law. \throws std::invalid_argument if lambdas is empty or sigma is invalid.
template <class Method, class S>
S expected_excess_loss(const Method& method, const Vector<S>& lambdas, const S& sigma) {
  if (lambdas.size() == 0)
    throw std::invalid_argument("expected_excess_loss: lambdas must not be empty");
  S total(0);
  for (Eigen::Index i = 0; i < lambdas.size(); ++i) {
    const S l = lambdas(i);
    const S v = stationary_variance(method, l, sigma);
    if (!is_finite(v)) return std::numeric_limits<S>::infinity();
    total += detail::seen_eigenvalue(method, l) * v / 2;
  }
  return total;
}

}  // namespace momentum
