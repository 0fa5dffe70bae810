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
  const char* status;  ///< "optimal", "optimal among two-state methods, unique", ...
  /// 1 - rate, from its own closed form (no cancellation): for kappa = 1e16 the GD rate
  /// 1 - 2e-16 has no correct digit of 1 - rate left, but gap has all of them. Iteration counts
  /// (-1/log10(rate) per digit) need it.
  Scalar gap;
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

namespace detail {
/// 1 - gap, or `direct` where the rate is small (gap > 1/2) and the subtraction would cancel.
template <class Scalar>
Scalar rate_from_gap(const Scalar& gap, const Scalar& direct) {
  return gap < Scalar(1) / 2 ? Scalar(1 - gap) : direct;
}
/// c / (a x + y) without overflowing a x + y: (c / x) / (a + y / x) where the sum would.
template <class Scalar>
Scalar over_sum(const Scalar& c, int a, const Scalar& x, const Scalar& y) {
  const Scalar sum = a * x + y;
  if (is_finite(sum)) return c / sum;
  return (c / x) / (a + y / x);
}
/// sqrt(L/mu), also where L/mu overflows (kappa beyond 1e308: mu = 1e-300, L = 1e300).
template <class Scalar>
Scalar sqrt_ratio(const Scalar& L, const Scalar& mu) {
  using std::sqrt;
  const Scalar k = L / mu;
  if (is_finite(k)) return sqrt(k);
  return sqrt(L) / sqrt(mu);
}
}  // namespace detail

/// Gradient descent, eta = 2/(mu + L): rate (kappa - 1)/(kappa + 1) = (L - mu)/(L + mu), gap
/// 2 mu/(mu + L). \note Proof: proofs/optimal_gd.md.
template <class Scalar>
Tuning<GradientDescent<Scalar>, Scalar> optimal_gd(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "optimal_gd");
  const Scalar gap = detail::over_sum(Scalar(2 * mu), 1, L, mu);
  return {GradientDescent<Scalar>(detail::over_sum(Scalar(2), 1, L, mu)),
          detail::rate_from_gap(gap, Scalar((L - mu) / (L + mu))), "optimal", gap};
}

/// Heavy ball, alpha = 4/(sqrt L + sqrt mu)^2, beta = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2:
/// rate (sqrt kappa - 1)/(sqrt kappa + 1); mu and L critically damped, interior complex. No
/// member of the two-state family (any alpha, beta, gamma) has a lower worst-case rate on
/// [mu, L], and for mu < L this is the only one that attains it.
/// \note Proof: proofs/README.md, theorems 4 and 4f (Coq: hb_unique, two_state_lower_bound,
/// two_state_unique).
template <class Scalar>
Tuning<HeavyBall<Scalar>, Scalar> optimal_heavy_ball(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "optimal_heavy_ball");
  const Scalar sl = sqrt(L), sm = sqrt(mu);
  const Scalar gap = 2 * sm / (sl + sm);
  const Scalar r = detail::rate_from_gap(gap, Scalar((sl - sm) / (sl + sm)));
  return {HeavyBall<Scalar>(Scalar(4 / ((sl + sm) * (sl + sm))), Scalar(r * r)), r,
          "optimal among two-state methods, unique", gap};
}

/// The velocity form with the optimal heavy ball's spectrum: eta = alpha, same beta.
template <class Scalar>
Tuning<Velocity<Scalar>, Scalar> optimal_velocity(const Scalar& mu, const Scalar& L) {
  const auto hb = optimal_heavy_ball(mu, L);
  return {to_velocity(hb.method), hb.rate, hb.status, hb.gap};
}

/// Nesterov, alpha = 4/(3L + mu), beta = (sqrt(3 kappa + 1) - 2)/(sqrt(3 kappa + 1) + 2):
/// rate 1 - 2/sqrt(3 kappa + 1), exact, and the best of every real (alpha, beta) for Nesterov's
/// polynomial; for mu < L the only one. \note Proof: proofs/nesterov_optimal.md (Coq:
/// nesterov_lower_bound, nesterov_optimal, nesterov_unique), proofs/nesterov_rates.md.
template <class Scalar>
Tuning<Nesterov<Scalar>, Scalar> optimal_nesterov(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "optimal_nesterov");
  // s = sqrt(3 kappa + 1), also where kappa overflows.
  const Scalar k = L / mu;
  const Scalar t = 3 * k + 1;
  const Scalar s = is_finite(t) ? Scalar(sqrt(t)) : Scalar(sqrt(L) / sqrt(mu) * sqrt(3 + mu / L));
  const Scalar gap = 2 / s;
  return {Nesterov<Scalar>(detail::over_sum(Scalar(4), 3, L, mu), Scalar((s - 2) / (s + 2))),
          Scalar(1 - gap), "optimal among Nesterov tunings, unique", gap};
}

/// Nesterov's textbook tuning alpha = 1/L, beta = (sqrt kappa - 1)/(sqrt kappa + 1):
/// rate 1 - 1/sqrt kappa, exact, not optimal. \note Proof: proofs/nesterov_rates.md.
template <class Scalar>
Tuning<Nesterov<Scalar>, Scalar> standard_nesterov(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "standard_nesterov");
  const Scalar sk = detail::sqrt_ratio(L, mu);
  const Scalar gap = 1 / sk;
  return {Nesterov<Scalar>(Scalar(1 / L), Scalar((sk - 1) / (sk + 1))), Scalar(1 - gap),
          "rate exact, not optimal", gap};
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
