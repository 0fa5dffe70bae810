#pragma once
/// \file detail/point_radius.hpp
/// Rigorous bounds of the spectral radius at one point s = step * lambda for gradient descent,
/// heavy ball, velocity and Nesterov, and the argument checks of radius_range (extremes.hpp).
/// Part of extremes.hpp's implementation.

#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/methods.hpp>

#include <stdexcept>
#include <string>

namespace momentum::detail {

/// The argument checks of every radius_range: both ends finite, lambda_lo <= lambda_hi.
/// \throws std::invalid_argument naming the broken condition.
template <class Scalar>
void require_lambda_range(const Scalar& lambda_lo, const Scalar& lambda_hi) {
  if (!is_finite(lambda_lo) || !is_finite(lambda_hi))
    throw std::invalid_argument("radius_range: lambda_lo and lambda_hi must be finite, got " +
                                to_string(lambda_lo, 17) + " and " + to_string(lambda_hi, 17));
  if (lambda_lo > lambda_hi)
    throw std::invalid_argument("radius_range: lambda_lo must not exceed lambda_hi, got " +
                                to_string(lambda_lo, 17) + " > " + to_string(lambda_hi, 17));
}

/// Rigorous bounds of a spectral radius at one point.
template <class Scalar>
struct PointRadius {
  Scalar lo, hi;
};

/// Radius of z^2 - p z + d from bounds on |p|, |d| and the discriminant D = p^2 - 4d.
/// Always rho >= sqrt|d| (product of the roots) and rho >= |p|/2 (their sum); when D >= 0,
/// rho = (|p| + sqrt D)/2, increasing in |p| and D; when D < 0, rho = sqrt d. Hence
/// max(sqrt|d|, (|p| + sqrt(max(D, 0)))/2) is exact, and monotone in each bound.
template <class Scalar>
PointRadius<Scalar> quadratic_radius(const Scalar& p_lo, const Scalar& p_hi, const Scalar& d_lo,
                                     const Scalar& d_hi, const Scalar& D_lo, const Scalar& D_hi) {
  using std::sqrt;
  const Scalar zero(0);
  const Scalar hi = max_of(round_up(Scalar(sqrt(max_of(d_hi, zero)))),
                           round_up(Scalar((max_of(p_hi, zero) + round_up(Scalar(sqrt(max_of(D_hi, zero))))) / 2)));
  const Scalar lo = max_of(
      zero, max_of(round_down(Scalar(sqrt(max_of(d_lo, zero)))),
                   round_down(Scalar((max_of(p_lo, zero) +
                                      max_of(zero, round_down(Scalar(sqrt(max_of(D_lo, zero)))))) / 2))));
  return {lo, hi};
}

/// Heavy ball (and velocity form) at s = step*lambda: z^2 - tau z + beta, tau = 1 + beta - s.
/// For beta >= 0 the discriminant is factored, (s - (1 - sqrt beta)^2)(s - (1 + sqrt beta)^2),
/// so that near a double root its error is eps s |s - (1 + sqrt beta)^2| rather than eps beta.
/// Error bounds (u = eps/2 per operation): 1 - sqrt beta = (1 - beta)/(1 + sqrt beta) has
/// relative error <= 4u, its square <= 9u, (1 + sqrt beta)^2 <= 5u.
template <class Scalar>
PointRadius<Scalar> heavy_ball_radius_at(const Scalar& beta, const Scalar& s) {
  using std::abs;
  using std::sqrt;
  const Scalar eps = epsilon<Scalar>();
  const Scalar t1 = 1 + beta;
  const Scalar tau = t1 - s;
  const Scalar e_tau = eps * (abs(t1) + abs(tau));
  Scalar D, e_D;
  if (beta >= 0) {
    const Scalar sb = sqrt(beta);
    const Scalar lo_root = (1 - beta) / (1 + sb);
    const Scalar lo = lo_root * lo_root, hi = (1 + sb) * (1 + sb);
    const Scalar f1 = s - lo, f2 = s - hi;
    const Scalar e1 = 10 * eps * lo + eps * abs(f1), e2 = 4 * eps * hi + eps * abs(f2);
    D = f1 * f2;
    e_D = (e1 * abs(f2) + e2 * abs(f1) + e1 * e2 + eps * abs(D)) * (1 + 8 * eps);
  } else {
    D = tau * tau - 4 * beta;
    e_D = (e_tau * (2 * abs(tau) + e_tau) + 2 * eps * (tau * tau + 4 * abs(beta))) * (1 + 8 * eps);
  }
  const Scalar ab = abs(beta);
  return quadratic_radius(Scalar(abs(tau) - e_tau), Scalar(abs(tau) + e_tau), ab, ab,
                          Scalar(D - e_D), Scalar(D + e_D));
}

/// Nesterov at s = alpha*lambda: z^2 - (1+beta) q z + beta q, q = 1 - s,
/// discriminant q ((1+beta)^2 q - 4 beta). Relative errors: q <= u, (1+beta) q <= 3u,
/// beta q <= 2u, (1+beta)^2 q <= 5u.
template <class Scalar>
PointRadius<Scalar> nesterov_radius_at(const Scalar& beta, const Scalar& s) {
  using std::abs;
  const Scalar eps = epsilon<Scalar>();
  const Scalar q = 1 - s;
  const Scalar t1 = 1 + beta;
  const Scalar p = t1 * q, e_p = 4 * eps * abs(p);
  const Scalar d = beta * q, e_d = 2 * eps * abs(d);
  const Scalar b1q = t1 * t1 * q;
  const Scalar inner = b1q - 4 * beta;
  const Scalar e_inner = 4 * eps * abs(b1q) + eps * abs(inner);
  const Scalar D = q * inner;
  const Scalar e_D = (abs(q) * e_inner + eps * abs(q) * abs(inner) + eps * abs(D)) * (1 + 8 * eps);
  return quadratic_radius(Scalar(abs(p) - e_p), Scalar(abs(p) + e_p), Scalar(abs(d) - e_d),
                          Scalar(abs(d) + e_d), Scalar(D - e_D), Scalar(D + e_D));
}

template <class Scalar>
PointRadius<Scalar> radius_at(const GradientDescent<Scalar>&, const Scalar& s) {
  using std::abs;
  const Scalar q = abs(Scalar(1 - s));
  return {max_of(Scalar(0), round_down(q)), round_up(q)};
}
template <class Scalar>
PointRadius<Scalar> radius_at(const HeavyBall<Scalar>& m, const Scalar& s) {
  return heavy_ball_radius_at(m.beta, s);
}
template <class Scalar>
PointRadius<Scalar> radius_at(const Velocity<Scalar>& m, const Scalar& s) {
  return heavy_ball_radius_at(m.beta, s);
}
template <class Scalar>
PointRadius<Scalar> radius_at(const Nesterov<Scalar>& m, const Scalar& s) {
  return nesterov_radius_at(m.beta, s);
}

template <class Scalar>
const Scalar& method_step(const GradientDescent<Scalar>& m) { return m.eta; }
template <class Scalar>
const Scalar& method_step(const HeavyBall<Scalar>& m) { return m.alpha; }
template <class Scalar>
const Scalar& method_step(const Velocity<Scalar>& m) { return m.eta; }
template <class Scalar>
const Scalar& method_step(const Nesterov<Scalar>& m) { return m.alpha; }

/// Whether [sl, sh] may meet the set of s where rho is smallest (with a 16 eps slack: a false
/// "yes" only loosens the lower bound), and that smallest radius, rounded down.
/// Heavy ball: rho >= sqrt|beta| always (product of the roots), with equality exactly on the
/// closed complex region [(1 - sqrt beta)^2, (1 + sqrt beta)^2] for beta >= 0 and at tau = 0
/// (s = 1 + beta) for beta < 0. GD and Nesterov: rho = 0 exactly at q = 1 - s = 0.
template <class Scalar>
bool heavy_ball_meets_minimum(const Scalar& beta, const Scalar& sl, const Scalar& sh) {
  using std::abs;
  using std::sqrt;
  const Scalar slack = 16 * epsilon<Scalar>();
  if (beta >= 0) {
    const Scalar sb = sqrt(beta);
    const Scalar lo_root = (1 - beta) / (1 + sb);
    const Scalar lo = lo_root * lo_root * (1 - slack), hi = (1 + sb) * (1 + sb) * (1 + slack);
    return sl <= hi && sh >= lo;
  }
  const Scalar c = 1 + beta, w = slack * (1 + abs(beta));
  return sl <= c + w && sh >= c - w;
}
template <class Scalar>
bool meets_minimum(const HeavyBall<Scalar>& m, const Scalar& sl, const Scalar& sh) {
  return heavy_ball_meets_minimum(m.beta, sl, sh);
}
template <class Scalar>
bool meets_minimum(const Velocity<Scalar>& m, const Scalar& sl, const Scalar& sh) {
  return heavy_ball_meets_minimum(m.beta, sl, sh);
}
template <class Scalar, class Method>
bool meets_minimum(const Method&, const Scalar& sl, const Scalar& sh) {
  const Scalar slack = 16 * epsilon<Scalar>();
  return sl <= 1 + slack && sh >= 1 - slack;
}
template <class Scalar>
Scalar minimum_radius(const HeavyBall<Scalar>& m) {
  using std::abs;
  using std::sqrt;
  return max_of(Scalar(0), round_down(Scalar(sqrt(abs(m.beta)))));
}
template <class Scalar>
Scalar minimum_radius(const Velocity<Scalar>& m) {
  using std::abs;
  using std::sqrt;
  return max_of(Scalar(0), round_down(Scalar(sqrt(abs(m.beta)))));
}
template <class Scalar>
Scalar minimum_radius(const GradientDescent<Scalar>&) { return Scalar(0); }
template <class Scalar>
Scalar minimum_radius(const Nesterov<Scalar>&) { return Scalar(0); }

}  // namespace momentum::detail
