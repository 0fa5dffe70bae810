#pragma once
/// \file regions.hpp
/// Convergence regions by the Schur-Jury test (SPEC section 4): exact predicates, and the open
/// interval of step*lambda (alpha*lambda or eta*lambda) in which a method converges for its beta.

#include <momentum/detail/state_layout.hpp>
#include <momentum/methods.hpp>

#include <optional>

namespace momentum {

/// An open interval (lo, hi) of s = step*lambda; `empty` when no s converges.
template <class Scalar>
struct Interval {
  Scalar lo, hi;
  bool empty = false;
  bool contains(const Scalar& s) const { return !empty && lo < s && s < hi; }
};

/// Schur-Jury for degree 2: both roots of z^2 + a1 z + a0 lie strictly inside the unit disk
/// iff |a0| < 1 and |a1| < 1 + a0. \note Proof: proofs/README.md, theorem 2 (Coq).
template <class Scalar>
bool schur_stable(const Scalar& a1, const Scalar& a0) {
  using std::abs;
  return abs(a0) < 1 && abs(a1) < 1 + a0;
}

/// Gradient descent converges on lambda iff 0 < eta*lambda < 2.
template <class Scalar>
bool converges(const GradientDescent<Scalar>& m, const Scalar& lambda) {
  const Scalar s = m.eta * lambda;
  return 0 < s && s < 2;
}

/// Heavy ball converges on lambda iff -1 < beta < 1 and 0 < alpha*lambda < 2(1 + beta).
/// \note Proof: proofs/README.md, theorem 3 (Coq).
template <class Scalar>
bool converges(const HeavyBall<Scalar>& m, const Scalar& lambda) {
  const Scalar s = m.alpha * lambda;
  return -1 < m.beta && m.beta < 1 && 0 < s && s < 2 * (1 + m.beta);
}

/// The velocity form converges exactly where heavy ball with alpha = eta does.
template <class Scalar>
bool converges(const Velocity<Scalar>& m, const Scalar& lambda) {
  return converges(to_heavy_ball(m), lambda);
}

/// Nesterov converges on lambda iff q < 1, |beta q| < 1 and (1 + 2 beta) q > -1,
/// q = 1 - alpha*lambda. \note Proof: proofs/README.md, theorem 3 (Coq).
template <class Scalar>
bool converges(const Nesterov<Scalar>& m, const Scalar& lambda) {
  using std::abs;
  const Scalar q = 1 - m.alpha * lambda;
  return q < 1 && abs(m.beta * q) < 1 && (1 + 2 * m.beta) * q > -1;
}

/// Gradient descent: eta*lambda in (0, 2).
template <class Scalar>
Interval<Scalar> convergence_interval(const GradientDescent<Scalar>&) {
  return {Scalar(0), Scalar(2), false};
}

/// Heavy ball: alpha*lambda in (0, 2(1 + beta)) when -1 < beta < 1, else empty.
template <class Scalar>
Interval<Scalar> convergence_interval(const HeavyBall<Scalar>& m) {
  if (!(-1 < m.beta && m.beta < 1)) return {Scalar(0), Scalar(0), true};
  return {Scalar(0), Scalar(2 * (1 + m.beta)), false};
}

/// Velocity form: eta*lambda in (0, 2(1 + beta)) when -1 < beta < 1, else empty.
template <class Scalar>
Interval<Scalar> convergence_interval(const Velocity<Scalar>& m) {
  return convergence_interval(to_heavy_ball(m));
}

/// Nesterov: the alpha*lambda = 1 - q for which q < 1, |beta q| < 1 and (1 + 2 beta) q > -1.
/// For 0 <= beta <= 1 this is (0, (2 + 2 beta)/(1 + 2 beta)). Always bounded.
template <class Scalar>
Interval<Scalar> convergence_interval(const Nesterov<Scalar>& m) {
  using std::abs;
  const Scalar& b = m.beta;
  // q ranges over (q_lo, q_hi); std::nullopt stands for an unbounded side.
  std::optional<Scalar> q_lo, q_hi = Scalar(1);
  auto lower = [&](const Scalar& v) { if (!q_lo || v > *q_lo) q_lo = v; };
  auto upper = [&](const Scalar& v) { if (v < *q_hi) q_hi = v; };
  if (b != 0) {
    lower(Scalar(-1 / abs(b)));
    upper(Scalar(1 / abs(b)));
  }
  const Scalar c = 1 + 2 * b;
  if (c > 0) lower(Scalar(-1 / c));
  else if (c < 0) upper(Scalar(-1 / c));
  // c = 0 and b = 0 cannot both hold, so q_lo is set.
  if (!q_lo || !(*q_lo < *q_hi)) return {Scalar(0), Scalar(0), true};
  return {Scalar(1 - *q_hi), Scalar(1 - *q_lo), false};
}

/// The two-state family converges on lambda iff Schur-Jury holds for z^2 - p z + d,
/// p = 1 + beta - (alpha + c) lambda, d = beta - c lambda (c = alpha gamma): |d| < 1 and
/// |p| < 1 + d, i.e. p < 1 + d, alpha lambda > 0 (the exact sign of a product), and
/// -p < 1 + d, (alpha + 2c) lambda < 2 (1 + beta). \note Proof: proofs/README.md, theorem 2.
template <class Scalar>
bool converges(const TwoState<Scalar>& m, const Scalar& lambda) {
  using std::abs;
  const bool positive = (m.alpha > 0 && lambda > 0) || (m.alpha < 0 && lambda < 0);
  return positive && (m.alpha + 2 * m.alpha_gamma) * lambda < 2 * (1 + m.beta) &&
         abs(m.beta - m.alpha_gamma * lambda) < 1;
}

/// Any other method (PyTorch's SGD, QHM, a method added later) converges on an eigenvalue
/// lambda of Q iff its family member does at the eigenvalue its update sees, lambda + shift
/// (PyTorch's weight decay; detail/state_layout.hpp).
template <template <class> class Method, class Scalar,
          class = std::enable_if_t<detail::is_method<Method<Scalar>>::value>>
bool converges(const Method<Scalar>& m, const Scalar& lambda) {
  return converges(family(m), detail::seen_eigenvalue(m, lambda));
}

/// The family: the s = alpha*lambda with s > 0, s (1 + 2 gamma) < 2 (1 + beta) and
/// |beta - s gamma| < 1 (converges() divided by alpha). The interval is never unbounded: with
/// gamma = 0 the second condition bounds s (and the third asks |beta| < 1), otherwise the
/// third confines s gamma to (beta - 1, beta + 1). Its low end is 0 or, when beta - 1 and
/// gamma (or beta + 1 and -gamma) are positive, beyond it; it may be empty. Empty for
/// alpha = 0 (alpha lambda > 0 fails; then gamma may be infinite). Heavy ball (gamma = 0) and
/// Nesterov (gamma = beta) give their own intervals.
template <class Scalar>
Interval<Scalar> convergence_interval(const TwoState<Scalar>& m) {
  const Interval<Scalar> none{Scalar(0), Scalar(0), true};
  if (m.alpha == 0) return none;
  const Scalar& b = m.beta;
  const Scalar& g = m.gamma;
  Scalar lo(0);
  std::optional<Scalar> hi;
  auto lower = [&](const Scalar& v) { if (v > lo) lo = v; };
  auto upper = [&](const Scalar& v) { if (!hi || v < *hi) hi = v; };
  const Scalar k = 1 + 2 * g;
  if (k > 0) upper(Scalar(2 * (1 + b) / k));
  else if (k < 0) lower(Scalar(2 * (1 + b) / k));
  else if (!(1 + b > 0)) return none;
  if (g > 0) {
    lower(Scalar((b - 1) / g));
    upper(Scalar((b + 1) / g));
  } else if (g < 0) {
    lower(Scalar((b + 1) / g));
    upper(Scalar((b - 1) / g));
  } else if (!(-1 < b && b < 1)) {
    return none;
  }
  // hi is set: gamma = 0 gives k = 1 > 0.
  if (!hi || !(lo < *hi)) return none;
  return {lo, *hi, false};
}

/// The open interval of eigenvalues lambda (of Q) on which a method converges, for every
/// method: the family's interval of alpha*lambda divided by alpha (reversed for alpha < 0), and
/// for PyTorch shifted by -weight_decay. Bounded or empty (convergence_interval(TwoState)).
template <class Scalar>
Interval<Scalar> lambda_interval(const TwoState<Scalar>& m) {
  const Interval<Scalar> s = convergence_interval(m);
  if (s.empty) return s;
  if (m.alpha > 0) return {Scalar(s.lo / m.alpha), Scalar(s.hi / m.alpha), false};
  return {Scalar(s.hi / m.alpha), Scalar(s.lo / m.alpha), false};
}
/// Every other method: its family member's interval, moved back by the method's shift.
template <template <class> class Method, class Scalar,
          class = std::enable_if_t<detail::is_method<Method<Scalar>>::value>>
Interval<Scalar> lambda_interval(const Method<Scalar>& m) {
  const Interval<Scalar> l = lambda_interval(family(m));
  const Scalar shift = detail::spectrum_shift(m);
  if (l.empty || shift == 0) return l;
  return {Scalar(l.lo - shift), Scalar(l.hi - shift), false};
}

}  // namespace momentum
