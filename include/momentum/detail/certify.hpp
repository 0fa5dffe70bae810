#pragma once
/// \file detail/certify.hpp
/// Certifying the far side of an eigenvalue enclosure by a shifted factorization (extremes.hpp's
/// error model). Part of extremes.hpp's implementation, included by it after ExtremeEigenpair.

#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/detail/rayleigh.hpp>

namespace momentum::detail {

/// An a-priori guess of the factorization margin at shift sigma: gamma_{k+1} trace|sigma I - Q|
/// (the ||L||_F^2 bound with ||L||_F^2 ~ trace). Only used to size the first shift.
template <class Scalar, class Op>
Scalar margin_guess(const Op& op, const Scalar& sigma, Eigen::Index k) {
  return gamma_m<Scalar>(k + 1) * (op.diagonal().array() - sigma).abs().sum();
}

/// Tries to prove lambda_min > theta_lo - delta - m by factorizing Q - (theta_lo - delta) I.
template <class Scalar, class Op>
void certify_lower(Op& op, const RayleighBounds<Scalar>& rq, const Scalar& margin_hint,
                   ExtremeEigenpair<Scalar>& e, const ExtremesOptions& o) {
  using std::abs;
  Scalar delta = max_of(max_of(rq.residual, Scalar(margin_hint / 2)),
                        Scalar(4 * epsilon<Scalar>() * abs(rq.value)));
  if (rq.lo - e.enclosure.lo <= 2 * delta) {
    e.enclosure.certified = true;  // already as tight as a factorization could make it
    return;
  }
  for (int attempt = 0; attempt < o.certify_attempts; ++attempt, delta *= 4) {
    const Scalar sigma = rq.lo - delta;
    if (!(sigma > e.enclosure.lo)) return;  // cannot improve on what is proven
    const FactorResult<Scalar> f = op.factor(+1, sigma);
    ++e.factorizations;
    if (f.ok) {
      e.enclosure.lo = max_of(e.enclosure.lo, round_down(Scalar(sigma - f.margin)));
      e.enclosure.certified = true;
      return;
    }
  }
}

/// Tries to prove lambda_max < theta_hi + delta + m by factorizing (theta_hi + delta) I - Q.
template <class Scalar, class Op>
void certify_upper(Op& op, const RayleighBounds<Scalar>& rq, const Scalar& margin_hint,
                   ExtremeEigenpair<Scalar>& e, const ExtremesOptions& o) {
  using std::abs;
  Scalar delta = max_of(max_of(rq.residual, Scalar(margin_hint / 2)),
                        Scalar(4 * epsilon<Scalar>() * abs(rq.value)));
  if (e.enclosure.hi - rq.hi <= 2 * (delta + margin_hint)) {
    e.enclosure.certified = true;  // already as tight as another factorization could make it
    return;
  }
  for (int attempt = 0; attempt < o.certify_attempts; ++attempt, delta *= 4) {
    const Scalar sigma = rq.hi + delta;
    if (!(sigma < e.enclosure.hi)) return;
    const FactorResult<Scalar> f = op.factor(-1, sigma);
    ++e.factorizations;
    if (f.ok) {
      e.enclosure.hi = min_of(e.enclosure.hi, round_up(Scalar(sigma + f.margin)));
      e.enclosure.certified = true;
      return;
    }
  }
}

template <class Scalar>
void require_positive_ritz(const RayleighBounds<Scalar>& rq, const Scalar& zero_tol) {
  if (rq.hi <= 0)
    throw_not_positive_definite("it is indefinite: its smallest eigenvalue is at most " +
                                to_string(rq.hi, 17));
  if (!(rq.value > zero_tol))
    throw_not_positive_definite("its smallest eigenvalue " + to_string(rq.value, 17) +
                                " is zero to within rounding (semidefinite: no unique minimizer)");
}

}  // namespace momentum::detail
