#pragma once
/// \file x_error_interval_report.hpp
/// The x-error of an interval [mu, L] (residual_interval.hpp): the worst case over every
/// quadratic with spectrum in [mu, L] of ||x_t - x*|| / ||x_0 - x*|| from the standard start,
/// sup over lambda of |p_t(lambda)|, not its value at the two ends. Its counts and peak are
/// proven ranges; beyond the work budget (kappa about 1e7 and up for the tuned heavy ball) it
/// falls back to the two ends, labelled.

#include "x_error_report.hpp"

#include <momentum/residual_interval.hpp>

namespace momentum::cli {

/// x_error_json's keys with "over": "interval", "interval" [mu, L], "first" and "settled" the
/// upper ends of their ranges (proven: the sup is <= tol there) and "first_range",
/// "settled_range", "peak_range" (the peak is its upper end). When the scan would exceed the
/// budget (recurrence steps; quadratic in the count), x_error_json over the two ends with
/// "over": "ends" and a "why_ends". `share`: as in x_error_json (rate 1, optimal 5).
template <class Method, class Scalar>
Json x_error_interval_json(const Method& m, const Scalar& mu, const Scalar& L, const Scalar& tol,
                           const std::string& tol_text, const Scalar& lambda_error,
                           const Precision& prec, int share = 1) {
  const long long budget = (prec.multiprecision ? 4000000LL : 400000000LL) / share;
  const XErrorInterval<Scalar> x = x_error_interval(m, mu, L, tol, budget);
  if (!x.done) {
    Vector<Scalar> ends(2);
    ends << mu, L;
    Json j = x_error_json(m, ends, Vector<Scalar>(), XErrorOver::ends, tol, tol_text,
                          lambda_error, prec, 4 * share);  // rate's 4, optimal's 20
    j["why_ends"] = "the interior's bound would take more than " + std::to_string(budget) +
                    " recurrence steps (rho near 1), the interior is not checked";
    return j;
  }
  Json j = json_object(16);
  j["start"] = "standard";
  j["over"] = "interval";
  j["interval"] = {decimal(mu, prec), decimal(L, prec)};
  j["tol"] = tol_text;
  if (!x.converges) {
    j["first"] = nullptr;
    j["why"] = "never: the method does not converge (rho >= 1)";
    j["peak"] = nullptr;
    return j;
  }
  j["first"] = x.first_hi;
  j["settled"] = x.settled_hi;
  j["first_range"] = {x.first_lo, x.first_hi};
  j["settled_range"] = {x.settled_lo, x.settled_hi};
  j["exact"] = true;
  j["lower"] = x.first_lo;
  j["upper"] = x.settled_hi;
  // The ends are known to +-lambda_error; the bracket's width dominates that in practice.
  const Scalar width = x.peak_hi - x.peak_lo;
  const int digits = reliable_digits(x.peak_hi, width, prec.digits);
  // Printed in full: rounding the upper end to its reliable digits could round it down.
  j["peak"] = decimal(x.peak_hi, prec);
  j["peak_range"] = {decimal(x.peak_lo, prec), decimal(x.peak_hi, prec)};
  j["peak_t"] = x.peak_t;
  j["peak_lambda"] = decimal(x.peak_lambda, prec);
  j["peak_complete"] = true;
  j["peak_reliable_digits"] = digits;
  return j;
}

}  // namespace momentum::cli
