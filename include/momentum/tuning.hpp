#pragma once
/// \file tuning.hpp
/// Optimal and standard tunings for a spectrum in [mu, L], with their worst-case rates
/// (SPEC section 6).

#include <momentum/methods.hpp>

#include <string>

namespace momentum {

/// A tuning: the method's parameters, its worst-case rate on [mu, L], and what is known of it.
template <class Method, class Scalar>
struct Tuning {
  Method method;
  Scalar rate;
  const char* status;  ///< "optimal", "optimal, unique", "rate exact; optimality numerical", ...
};

namespace detail {
template <class Scalar>
void require_interval(const Scalar& mu, const Scalar& L, const char* who) {
  if (!is_finite(mu) || !(mu > 0))
    throw std::invalid_argument(std::string(who) + ": mu must be finite and positive, got " +
                                to_string(mu, 17));
  if (!is_finite(L) || !(L >= mu))
    throw std::invalid_argument(std::string(who) + ": L must be finite and at least mu, got " +
                                to_string(L, 17));
}
}  // namespace detail

/// Gradient descent, eta = 2/(mu + L): rate (kappa - 1)/(kappa + 1) = (L - mu)/(L + mu).
/// \note Proof: proofs/optimal_gd.md.
template <class Scalar>
Tuning<GradientDescent<Scalar>, Scalar> optimal_gd(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "optimal_gd");
  return {GradientDescent<Scalar>(Scalar(2 / (mu + L))), Scalar((L - mu) / (L + mu)), "optimal"};
}

/// Heavy ball, alpha = 4/(sqrt L + sqrt mu)^2, beta = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2:
/// rate (sqrt kappa - 1)/(sqrt kappa + 1); mu and L critically damped, interior complex.
/// \note Proof: proofs/README.md, theorem 4 (Coq).
template <class Scalar>
Tuning<HeavyBall<Scalar>, Scalar> optimal_heavy_ball(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "optimal_heavy_ball");
  const Scalar sl = sqrt(L), sm = sqrt(mu);
  const Scalar r = (sl - sm) / (sl + sm);
  return {HeavyBall<Scalar>(Scalar(4 / ((sl + sm) * (sl + sm))), Scalar(r * r)), r,
          "optimal, unique"};
}

/// The velocity form with the optimal heavy ball's spectrum: eta = alpha, same beta.
template <class Scalar>
Tuning<Velocity<Scalar>, Scalar> optimal_velocity(const Scalar& mu, const Scalar& L) {
  const auto hb = optimal_heavy_ball(mu, L);
  return {to_velocity(hb.method), hb.rate, hb.status};
}

/// Nesterov, alpha = 4/(3L + mu), beta = (sqrt(3 kappa + 1) - 2)/(sqrt(3 kappa + 1) + 2):
/// rate 1 - 2/sqrt(3 kappa + 1), exact; its optimality among Nesterov tunings is only known
/// numerically. \note Proof: proofs/nesterov_rates.md.
template <class Scalar>
Tuning<Nesterov<Scalar>, Scalar> optimal_nesterov(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "optimal_nesterov");
  const Scalar k = L / mu;
  const Scalar s = sqrt(3 * k + 1);
  return {Nesterov<Scalar>(Scalar(4 / (3 * L + mu)), Scalar((s - 2) / (s + 2))),
          Scalar(1 - 2 / s), "rate exact; optimality known only numerically"};
}

/// Nesterov's textbook tuning alpha = 1/L, beta = (sqrt kappa - 1)/(sqrt kappa + 1):
/// rate 1 - 1/sqrt kappa, exact, not optimal. \note Proof: proofs/nesterov_rates.md.
template <class Scalar>
Tuning<Nesterov<Scalar>, Scalar> standard_nesterov(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "standard_nesterov");
  const Scalar sk = sqrt(L / mu);
  return {Nesterov<Scalar>(Scalar(1 / L), Scalar((sk - 1) / (sk + 1))), Scalar(1 - 1 / sk),
          "rate exact, not optimal"};
}

/// The momentum that critically damps one eigenvalue for a given step:
/// beta = (1 - sqrt(alpha*lambda))^2, with rate 1 - sqrt(alpha*lambda) for that eigenvalue.
/// \throws std::invalid_argument unless alpha*lambda >= 0.
template <class Scalar>
Scalar critical_beta(const Scalar& alpha, const Scalar& lambda) {
  using std::sqrt;
  const Scalar s = alpha * lambda;
  if (!is_finite(s) || s < 0)
    throw std::invalid_argument("critical_beta: alpha*lambda must be finite and non-negative");
  const Scalar r = 1 - sqrt(s);
  return r * r;
}

}  // namespace momentum
