#pragma once
/// \file regions.hpp
/// Convergence regions by the Schur-Jury test (SPEC section 4): exact predicates, and the open
/// interval of step*lambda (alpha*lambda or eta*lambda) in which a method converges for its beta.

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

}  // namespace momentum
