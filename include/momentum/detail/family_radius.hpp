#pragma once
/// \file detail/family_radius.hpp
/// radius_range (extremes.hpp) for the two-state family, PyTorch's SGD and QHM: rigorous bounds
/// of the spectral radius over an eigenvalue enclosure [lambda_lo, lambda_hi] (SPEC sections 5,
/// 11). Included by extremes.hpp after its rounding helpers and quadratic_radius.
///
/// The family's z^2 - p z + d has p = 1 + beta - a lambda and d = beta - c lambda (a = alpha +
/// alpha gamma, c = alpha gamma), affine in lambda, and discriminant D = p^2 - 4d, a convex
/// quadratic in lambda (leading coefficient a^2) with its vertex at lambda_v = (a (1 + beta) -
/// 2c)/a^2. rho = max(sqrt|d|, (|p| + sqrt(max(D, 0)))/2) is monotone in |p|, |d| and D, so
///  - sup: rho is quasi-convex in lambda (proofs/README.md, theorem 5), so its sup over the
///    enclosure is the larger of the two ends' upper bounds;
///  - inf: the infima of |p| and |d| (affine: at an end, or 0 where they change sign) and of D
///    (at an end, or unbounded below when the vertex may lie inside: then D's part is dropped)
///    bound rho from below anywhere in the enclosure.
/// Each point value carries the rounding of its few operations: |p| within 4 eps (1 + |beta| +
/// |a lambda|), |d| within 2 eps (|beta| + |c lambda|), D within the propagation of those plus
/// 2 eps (p^2 + 4|d|), all rounded outward.

#include <momentum/methods.hpp>

namespace momentum {

namespace detail {

/// Bounds of p, d and D of the family at one lambda (value +- error).
template <class Scalar>
struct FamilyPoint {
  Scalar p, e_p, d, e_d, D, e_D;
};

template <class Scalar>
FamilyPoint<Scalar> family_point(const TwoState<Scalar>& m, const Scalar& lambda) {
  using std::abs;
  const Scalar eps = epsilon<Scalar>();
  const Scalar al = m.alpha_total() * lambda, cl = m.alpha_gamma * lambda;
  FamilyPoint<Scalar> f;
  f.p = 1 + m.beta - al;
  f.e_p = round_up(Scalar(4 * eps * (1 + abs(m.beta) + abs(al))));
  f.d = m.beta - cl;
  f.e_d = round_up(Scalar(2 * eps * (abs(m.beta) + abs(cl))));
  f.D = f.p * f.p - 4 * f.d;
  f.e_D = round_up(Scalar(f.e_p * (2 * abs(f.p) + f.e_p) + 4 * f.e_d +
                          2 * eps * (f.p * f.p + 4 * abs(f.d))));
  return f;
}

/// The smallest |x| over x in [lo, hi] (0 when the interval contains 0).
template <class Scalar>
Scalar smallest_magnitude(const Scalar& lo, const Scalar& hi) {
  using std::abs;
  if (lo <= 0 && hi >= 0) return Scalar(0);
  return min_of(Scalar(abs(lo)), Scalar(abs(hi)));
}

}  // namespace detail

/// radius_range for the two-state family (see the file comment).
/// \throws std::invalid_argument if lambda_lo > lambda_hi or either is not finite.
template <class Scalar>
RadiusRange<Scalar> radius_range(const TwoState<Scalar>& m, const Scalar& lambda_lo,
                                 const Scalar& lambda_hi) {
  using std::abs;
  detail::require_lambda_range(lambda_lo, lambda_hi);
  const detail::FamilyPoint<Scalar> f1 = detail::family_point(m, lambda_lo);
  const detail::FamilyPoint<Scalar> f2 = detail::family_point(m, lambda_hi);
  auto point = [](const detail::FamilyPoint<Scalar>& f) {
    const Scalar ap = abs(f.p), ad = abs(f.d);
    return detail::quadratic_radius(Scalar(ap - f.e_p), Scalar(ap + f.e_p), Scalar(ad - f.e_d),
                                    Scalar(ad + f.e_d), Scalar(f.D - f.e_D), Scalar(f.D + f.e_D));
  };
  const detail::PointRadius<Scalar> r1 = point(f1), r2 = point(f2);
  RadiusRange<Scalar> out{Scalar(0), detail::max_of(r1.hi, r2.hi)};
  // Infima over the enclosure of |p|, |d| (affine) and D (convex, vertex lambda_v).
  const Scalar p_inf = detail::smallest_magnitude(detail::min_of(Scalar(f1.p - f1.e_p), Scalar(f2.p - f2.e_p)),
                                                  detail::max_of(Scalar(f1.p + f1.e_p), Scalar(f2.p + f2.e_p)));
  const Scalar d_inf = detail::smallest_magnitude(detail::min_of(Scalar(f1.d - f1.e_d), Scalar(f2.d - f2.e_d)),
                                                  detail::max_of(Scalar(f1.d + f1.e_d), Scalar(f2.d + f2.e_d)));
  Scalar D_inf = detail::min_of(Scalar(f1.D - f1.e_D), Scalar(f2.D - f2.e_D));
  const Scalar a = m.alpha_total();
  if (a != 0 && lambda_lo < lambda_hi) {
    const Scalar v = (a * (1 + m.beta) - 2 * m.alpha_gamma) / (a * a);
    const Scalar slack = 16 * epsilon<Scalar>() * (abs(v) + abs(lambda_lo) + abs(lambda_hi));
    // The vertex may lie inside: D's infimum is unknown, so its part is dropped (0).
    if (v >= lambda_lo - slack && v <= lambda_hi + slack) D_inf = Scalar(0);
  }
  // A valid lower bound anywhere in the enclosure (quadratic_radius's lo reads only the infima).
  out.lo = detail::quadratic_radius(p_inf, p_inf, d_inf, d_inf, D_inf, D_inf).lo;
  return out;
}

/// PyTorch's SGD: its family member on the enclosure shifted by weight_decay (rounded outward).
template <class Scalar>
RadiusRange<Scalar> radius_range(const PyTorchSGD<Scalar>& m, const Scalar& lambda_lo,
                                 const Scalar& lambda_hi) {
  if (!is_finite(lambda_lo) || !is_finite(lambda_hi) || lambda_lo > lambda_hi)
    return radius_range(m.family(), lambda_lo, lambda_hi);  // its exception
  if (m.weight_decay == 0) return radius_range(m.family(), lambda_lo, lambda_hi);
  return radius_range(m.family(), detail::round_down(Scalar(lambda_lo + m.weight_decay)),
                      detail::round_up(Scalar(lambda_hi + m.weight_decay)));
}

/// QHM: its family member (same eigenvalues).
template <class Scalar>
RadiusRange<Scalar> radius_range(const QHM<Scalar>& m, const Scalar& lambda_lo,
                                 const Scalar& lambda_hi) {
  return radius_range(m.family(), lambda_lo, lambda_hi);
}

}  // namespace momentum
