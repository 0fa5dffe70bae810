#pragma once
/// \file methods.hpp
/// The four first-order methods as small validated value types, and the conversions between
/// the velocity form and heavy ball (SPEC section 2).

#include <momentum/scalar.hpp>

#include <string>

namespace momentum {

namespace detail {
template <class Scalar>
void require_finite(const Scalar& x, const char* method, const char* name) {
  if (!is_finite(x))
    throw std::invalid_argument(std::string(method) + ": " + name + " must be finite, got " +
                                to_string(x, 17));
}
}  // namespace detail

/// Gradient descent x+ = x - eta g(x). Any finite eta is a valid question (eta <= 0 or a
/// too-large step is analysed as divergent, not refused).
template <class Scalar>
struct GradientDescent {
  Scalar eta;
  /// \throws std::invalid_argument if eta is NaN or infinite.
  explicit GradientDescent(Scalar eta_) : eta(std::move(eta_)) {
    detail::require_finite(eta, "gradient_descent", "eta");
  }
  static constexpr const char* name = "gd";
  static constexpr int state_size = 1;
};

/// Polyak's heavy ball x+ = x - alpha g(x) + beta (x - x-), state [x_t; x_{t-1}].
template <class Scalar>
struct HeavyBall {
  Scalar alpha, beta;
  /// \throws std::invalid_argument if alpha or beta is NaN or infinite.
  HeavyBall(Scalar alpha_, Scalar beta_) : alpha(std::move(alpha_)), beta(std::move(beta_)) {
    detail::require_finite(alpha, "heavy_ball", "alpha");
    detail::require_finite(beta, "heavy_ball", "beta");
  }
  static constexpr const char* name = "heavy-ball";
  static constexpr int state_size = 2;
};

/// The velocity form of d2l and PyTorch: v+ = beta v + g(x); x+ = x - eta v+, state [v; x].
template <class Scalar>
struct Velocity {
  Scalar eta, beta;
  /// \throws std::invalid_argument if eta or beta is NaN or infinite.
  Velocity(Scalar eta_, Scalar beta_) : eta(std::move(eta_)), beta(std::move(beta_)) {
    detail::require_finite(eta, "velocity", "eta");
    detail::require_finite(beta, "velocity", "beta");
  }
  static constexpr const char* name = "velocity";
  static constexpr int state_size = 2;
};

/// Nesterov: y = x + beta (x - x-); x+ = y - alpha g(y), state [x_t; x_{t-1}].
/// PyTorch's nesterov=True has the same spectrum with alpha = lr, beta = momentum.
template <class Scalar>
struct Nesterov {
  Scalar alpha, beta;
  /// \throws std::invalid_argument if alpha or beta is NaN or infinite.
  Nesterov(Scalar alpha_, Scalar beta_) : alpha(std::move(alpha_)), beta(std::move(beta_)) {
    detail::require_finite(alpha, "nesterov", "alpha");
    detail::require_finite(beta, "nesterov", "beta");
  }
  static constexpr const char* name = "nesterov";
  static constexpr int state_size = 2;
};

/// The heavy ball with the same spectrum and x-trajectory as a velocity form: alpha = eta.
/// \note Proof: proofs/README.md, theorem "R and A are similar".
template <class Scalar>
HeavyBall<Scalar> to_heavy_ball(const Velocity<Scalar>& m) {
  return HeavyBall<Scalar>(m.eta, m.beta);
}

/// The velocity form with the same spectrum and x-trajectory as a heavy ball: eta = alpha.
template <class Scalar>
Velocity<Scalar> to_velocity(const HeavyBall<Scalar>& m) {
  return Velocity<Scalar>(m.alpha, m.beta);
}

/// x_{-1} = x_0 + eta v_0: the heavy-ball start that follows the same x-trajectory as the
/// velocity form started from (x_0, v_0). Works per coordinate or on whole vectors.
template <class Scalar, class X, class V>
auto heavy_ball_previous_from_velocity(const Velocity<Scalar>& m, const X& x0, const V& v0) {
  return (x0 + m.eta * v0).eval();
}

/// v_0 = (x_{-1} - x_0)/eta: the velocity-form start matching the heavy-ball start
/// (x_0, x_{-1}). \throws std::invalid_argument if eta = 0 (no velocity state exists).
template <class Scalar, class X, class XP>
auto velocity_from_heavy_ball_previous(const Velocity<Scalar>& m, const X& x0, const XP& xprev) {
  if (m.eta == 0)
    throw std::invalid_argument(
        "velocity_from_heavy_ball_previous: eta must be non-zero to define v_0");
  return ((xprev - x0) / m.eta).eval();
}

}  // namespace momentum

/// INSTANCES(EXTERN, Method, S) for each of the four methods in scalar S: how a header lists
/// the per-method templates it declares extern (see MOMENTUM_EXTERN_FOR_EACH_SCALAR).
#define MOMENTUM_FOR_EACH_METHOD(INSTANCES, EXTERN, S)                                       \
  INSTANCES(EXTERN, momentum::GradientDescent<S>, S)                                         \
  INSTANCES(EXTERN, momentum::HeavyBall<S>, S)                                               \
  INSTANCES(EXTERN, momentum::Velocity<S>, S)                                                \
  INSTANCES(EXTERN, momentum::Nesterov<S>, S)
