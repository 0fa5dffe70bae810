#pragma once
/// \file methods.hpp
/// The four first-order methods as small validated value types, and the conversions between
/// the velocity form and heavy ball (SPEC section 2).

#include <momentum/scalar.hpp>

#include <string>
#include <type_traits>

namespace momentum {

namespace detail {
template <class Scalar>
void require_finite(const Scalar& x, const char* method, const char* name) {
  if (!is_finite(x))
    throw std::invalid_argument(std::string(method) + ": " + name + " must be finite, got " +
                                to_string(x, 17));
}
/// True for the method types (they carry a static state_size): keeps the method overloads
/// from capturing a plain matrix argument or a MethodForm.
template <class M, class = void>
struct is_method : std::false_type {};
template <class M>
struct is_method<M, std::void_t<decltype(M::state_size)>> : std::true_type {};

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

/// The two-state family (Lessard, Recht, Packard 2016; SPEC section 11):
///   x+ = x + beta (x - x-) - alpha grad f(x + gamma (x - x-)),  state [x_t; x_{t-1}].
/// Per eigenvalue lambda its characteristic polynomial is
///   z^2 - (1 + beta - (alpha + alpha_gamma) lambda) z + (beta - alpha_gamma lambda),
/// with alpha_gamma = alpha * gamma. Gradient descent is beta = gamma = 0 (plus a root 0),
/// heavy ball gamma = 0, Nesterov gamma = beta. The library computes with alpha and
/// alpha_gamma, so that maps whose alpha vanishes while alpha * gamma does not (PyTorch with
/// momentum * dampening = 1 and nesterov; QHM with beta = 1) are members too: their gamma is
/// infinite (`gamma_finite` false, `gamma` 0) but every coefficient is finite.
template <class Scalar>
struct TwoState {
  Scalar alpha, beta, gamma;
  Scalar alpha_gamma;        ///< alpha * gamma, the coefficient of the look-ahead gradient
  bool gamma_finite = true;  ///< false when alpha = 0 and alpha_gamma != 0
  /// \throws std::invalid_argument if alpha, beta or gamma is NaN or infinite.
  TwoState(Scalar alpha_, Scalar beta_, Scalar gamma_)
      : alpha(std::move(alpha_)), beta(std::move(beta_)), gamma(std::move(gamma_)) {
    detail::require_finite(alpha, "general", "alpha");
    detail::require_finite(beta, "general", "beta");
    detail::require_finite(gamma, "general", "gamma");
    alpha_gamma = alpha * gamma;
  }
  /// The member with coefficients alpha, beta and alpha * gamma = alpha_gamma (gamma =
  /// alpha_gamma / alpha when alpha != 0, else 0 and, unless alpha_gamma = 0, infinite).
  static TwoState from_coefficients(Scalar alpha_, Scalar beta_, Scalar alpha_gamma_) {
    detail::require_finite(alpha_gamma_, "general", "alpha*gamma");
    const bool finite = alpha_ != 0 || alpha_gamma_ == 0;
    Scalar gamma_ = alpha_ != 0 ? Scalar(alpha_gamma_ / alpha_) : Scalar(0);
    TwoState m(std::move(alpha_), std::move(beta_), std::move(gamma_));
    m.alpha_gamma = std::move(alpha_gamma_);
    m.gamma_finite = finite;
    return m;
  }
  /// alpha (1 + gamma) = alpha + alpha_gamma: the slope of the trace in lambda.
  Scalar alpha_total() const { return alpha + alpha_gamma; }
  static constexpr const char* name = "general";
  static constexpr int state_size = 2;
};

/// torch.optim.SGD (version 1.13 semantics), on f plus (weight_decay / 2) ||x||^2:
///   d_t = grad f(x_t) + weight_decay x_t;
///   b_0 = d_0, b_t = momentum b_{t-1} + (1 - dampening) d_t (t >= 1);
///   step_t = d_t + momentum b_t with nesterov, else b_t;   x_{t+1} = x_t - lr step_t.
/// With momentum = 0 PyTorch keeps no buffer (step = d: gradient descent, dampening unused).
/// torch.optim.SGD's constructor refuses nesterov with momentum <= 0 or dampening != 0, and
/// negative lr, momentum or weight decay; the update is analysed here for any finite values.
/// Its state is [b_{t-1}; x_t]; from t = 1 on its x-trajectory is family()'s on Q + wd I
/// (\note proofs/README.md, PyTorch's update as a member of the family).
template <class Scalar>
struct PyTorchSGD {
  Scalar lr, momentum, dampening, weight_decay;
  bool nesterov = false;
  /// \throws std::invalid_argument if a parameter is NaN or infinite.
  PyTorchSGD(Scalar lr_, Scalar momentum_, Scalar dampening_ = Scalar(0),
             Scalar weight_decay_ = Scalar(0), bool nesterov_ = false)
      : lr(std::move(lr_)), momentum(std::move(momentum_)), dampening(std::move(dampening_)),
        weight_decay(std::move(weight_decay_)), nesterov(nesterov_) {
    detail::require_finite(lr, "pytorch", "lr");
    detail::require_finite(momentum, "pytorch", "momentum");
    detail::require_finite(dampening, "pytorch", "dampening");
    detail::require_finite(weight_decay, "pytorch", "weight_decay");
  }
  /// The family member on Q + weight_decay I, exact in Scalar (products and differences of the
  /// parameters): momentum = 0: (lr, 0, 0); nesterov: alpha = lr (1 - momentum dampening),
  /// beta = momentum, alpha gamma = lr momentum; else alpha = lr (1 - dampening), beta = momentum,
  /// gamma = 0.
  TwoState<Scalar> family() const {
    if (momentum == 0) return TwoState<Scalar>(lr, Scalar(0), Scalar(0));
    if (nesterov)
      return TwoState<Scalar>::from_coefficients(Scalar(lr * (1 - momentum * dampening)), momentum,
                                                 Scalar(lr * momentum));
    return TwoState<Scalar>(Scalar(lr * (1 - dampening)), momentum, Scalar(0));
  }
  /// The shift of the spectrum: the method sees Q + weight_decay I.
  const Scalar& shift() const { return weight_decay; }
  static constexpr const char* name = "pytorch";
  static constexpr int state_size = 2;
};

/// Quasi-hyperbolic momentum in the convention of Ma and Yarats (2019) and qhoptim:
///   g_{t+1} = beta g_t + (1 - beta) grad f(x_t),  g_0 = 0,
///   x_{t+1} = x_t - alpha ((1 - nu) grad f(x_t) + nu g_{t+1}).
/// nu = 1 is the normalized heavy ball, nu = 0 gradient descent. Its state is [g_t; x_t].
template <class Scalar>
struct QHM {
  Scalar alpha, nu, beta;
  /// \throws std::invalid_argument if a parameter is NaN or infinite.
  QHM(Scalar alpha_, Scalar nu_, Scalar beta_)
      : alpha(std::move(alpha_)), nu(std::move(nu_)), beta(std::move(beta_)) {
    detail::require_finite(alpha, "qhm", "alpha");
    detail::require_finite(nu, "qhm", "nu");
    detail::require_finite(beta, "qhm", "beta");
  }
  /// The family member, exact in Scalar: alpha_f = alpha (1 - beta), beta_f = beta,
  /// alpha_f gamma_f = alpha beta (1 - nu) (gamma_f = beta (1 - nu)/(1 - beta)).
  TwoState<Scalar> family() const {
    return TwoState<Scalar>::from_coefficients(Scalar(alpha * (1 - beta)), beta,
                                               Scalar(alpha * beta * (1 - nu)));
  }
  static constexpr const char* name = "qhm";
  static constexpr int state_size = 2;
};

/// The family member of each named method (exact: no arithmetic beyond copying).
template <class Scalar>
TwoState<Scalar> family(const HeavyBall<Scalar>& m) {
  return TwoState<Scalar>(m.alpha, m.beta, Scalar(0));
}
template <class Scalar>
TwoState<Scalar> family(const Velocity<Scalar>& m) {
  return TwoState<Scalar>(m.eta, m.beta, Scalar(0));
}
template <class Scalar>
TwoState<Scalar> family(const Nesterov<Scalar>& m) {
  return TwoState<Scalar>(m.alpha, m.beta, m.beta);
}
template <class Scalar>
TwoState<Scalar> family(const GradientDescent<Scalar>& m) {
  return TwoState<Scalar>(m.eta, Scalar(0), Scalar(0));
}
template <class Scalar>
TwoState<Scalar> family(const TwoState<Scalar>& m) {
  return m;
}
template <class Scalar>
TwoState<Scalar> family(const PyTorchSGD<Scalar>& m) {
  return m.family();
}
template <class Scalar>
TwoState<Scalar> family(const QHM<Scalar>& m) {
  return m.family();
}

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
