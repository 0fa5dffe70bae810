#pragma once
/// \file dynamics.hpp
/// Beyond the rate (SPEC section 7), for `rate` reports: the iterations to a tolerance over
/// all starts (||M^t||_2 <= tol, honouring the transient and the t^{m-1} of a Jordan block,
/// with the naive log(tol)/log(rho) beside it) and the transient peak max_t ||M^t||_2.

#include "accuracy.hpp"
#include "json_output.hpp"

#include <momentum/iterations.hpp>
#include <momentum/powers.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace momentum::cli {

/// Adds "iterations" {"tol", "first", "settled", "naive", "exact", "lower", "upper"} and
/// "transient" {"peak", "t", "lambda", "complete"} (null when the method does not converge) to
/// a rate report, over the eigenvalues `lambdas` (the whole spectrum, or its two ends).
/// Work is capped (block-steps of the exact scans: 2e7 in double, 2e5 in MPFR), so a rate near 1
/// (kappa = 1e16) answers in seconds: the count is then the proven bracket [lower, upper] and
/// the peak is marked incomplete. A double run with a wide twin (accuracy.hpp) prints the peak
/// with the digits ||M^t||_2 at its t leaves against the twin's, from the inputs as typed (only
/// at that t: a full twin scan would double the cost at kappa = 1e16).
template <class Method, class Scalar>
void add_dynamics(Json& j, const Method& m, const Vector<Scalar>& lambdas, const Scalar& tol,
                  const std::string& tol_text, const Precision& prec,
                  const Twin<Method>* twin = nullptr) {
  const long long budget = prec.multiprecision ? 200000 : 20000000;
  const long long n = std::max<long long>(1, static_cast<long long>(lambdas.size()));
  IterationOptions io;
  io.max_scan = budget;
  const IterationCount<Scalar> it = worst_case_iterations(m, lambdas, tol, io);
  Json ji = json_object(8);
  ji["tol"] = tol_text;
  if (it.converges) {
    ji["first"] = it.first >= 0 ? Json(it.first) : Json(nullptr);
    ji["settled"] = it.settled >= 0 ? Json(it.settled) : Json(nullptr);
    ji["naive"] = it.naive;
    ji["exact"] = it.exact;
    ji["lower"] = it.lower;
    ji["upper"] = it.upper;
  } else {
    ji["first"] = nullptr;
    ji["why"] = "never: the method does not converge (rho >= 1)";
  }
  j["iterations"] = std::move(ji);
  const TransientPeak<Scalar> tp = transient_peak(m, lambdas, std::max<long long>(1000, budget / n));
  if (tp.bounded) {
    int digits = prec.digits;
    if constexpr (std::is_same_v<Scalar, double>) {
      if (twin && tp.t >= 0) {
        const long double w =
            power_norm(twin->method, twin->lambda(lambdas(tp.index)), static_cast<long long>(tp.t));
        // The closed form's own error: a few ulps times t (powers.hpp), here of long double.
        const long double own = 8 * std::max(1.0L, static_cast<long double>(tp.t)) *
                                std::numeric_limits<long double>::epsilon() * std::fabs(w);
        digits = reliable_digits(tp.peak, twin_error(tp.peak, w, own), prec.digits);
      }
    } else {
      (void)twin;
    }
    j["transient"] = {{"peak", decimal(tp.peak, prec, digits)},
                      {"t", tp.t},
                      {"lambda", decimal(Scalar(lambdas(tp.index)), prec)},
                      {"complete", tp.complete}};
  } else {
    j["transient"] = nullptr;
  }
}

}  // namespace momentum::cli
