#pragma once
/// \file x_error_report.hpp
/// The x-error a user watches (SPEC section 11, "Iterations a user means"; residual.hpp), for
/// the `rate` and `optimal` reports: ||x_t - x*|| / ||x_0 - x*|| from the standard start
/// (x_{-1} = x_0, v_0 = 0), worst case over x_0 or from a given x_0, its iterations to a
/// tolerance and its peak. Unlike ||M^t||_2 it does not depend on the state representation.

#include "accuracy.hpp"
#include "json_output.hpp"

#include <momentum/residual.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <string>

namespace momentum::cli {

/// What the x-error's maximum runs over: every eigenvalue, only the two ends (the fallback
/// beyond the interval's budget), or every lambda between them (x_error_interval_report.hpp:
/// an interval --mu/--L, or a matrix known by its extremes only).
enum class XErrorOver { eigenvalues, ends, interval };

/// {"start": "standard"|"x0", "over": "eigenvalues"|"ends", "tol", "first", "settled", "naive",
/// "exact", "lower", "upper", "peak", "peak_t", "peak_lambda", "peak_complete",
/// "peak_reliable_digits"}; null "first" and a "why" when it does not converge. `weights`:
/// empty for the worst case over starts, else the start's eigen-coordinates (one per lambda).
/// `lambda_error`: the eigenvalues' error bound (from a matrix), whose effect on the peak is
/// estimated by re-evaluating p_t at lambda +- lambda_error. Work is capped at add_dynamics's
/// budget divided by `share`: this scan starts at t = 0 (|p_t| has no lower bound), so at
/// kappa = 1e16 it would otherwise take seconds where the state matrix's takes 0.3 s; rate
/// passes 4, optimal 20 (five tunings). Beyond it the count is the proven bracket.
/// `twin` (double runs): the method and eigenvalues as typed in long double (accuracy.hpp); the
/// peak's digits then also count the rounding of the inputs, measured by the twin's x-error at
/// the peak's t (only there: the printed value is r(t) at that t).
template <class Method, class Scalar>
Json x_error_json(const Method& m, const Vector<Scalar>& lambdas, const Vector<Scalar>& weights,
                  XErrorOver over, const Scalar& tol, const std::string& tol_text,
                  const Scalar& lambda_error, const Precision& prec, int share = 1,
                  const Twin<Method>* twin = nullptr) {
  using std::abs;
  IterationOptions io;
  io.max_scan = (prec.multiprecision ? 200000 : 20000000) / share;
  const XError<Scalar> x = x_error(m, lambdas, tol, weights, io);
  const IterationCount<Scalar>& c = x.count;
  Json j = json_object(16);
  j["start"] = weights.size() == 0 ? "standard" : "x0";
  j["over"] = over == XErrorOver::eigenvalues ? "eigenvalues" : "ends";
  j["tol"] = tol_text;
  if (!c.converges) {
    j["first"] = nullptr;
    j["why"] = "never: the method does not converge (rho >= 1)";
    j["peak"] = nullptr;
    return j;
  }
  j["first"] = c.first >= 0 ? Json(c.first) : Json(nullptr);
  j["settled"] = c.settled >= 0 ? Json(c.settled) : Json(nullptr);
  j["naive"] = c.naive;
  j["exact"] = c.exact;
  j["lower"] = c.lower;
  j["upper"] = c.upper;
  Scalar err = x.peak_error;
  if constexpr (std::is_same_v<Scalar, double>) {
    if (twin && x.peak.t >= 0) {
      // r(t) of the twin: max_i |p_t(lambda_i)|, or ||(w_i p_t(lambda_i))|| / ||w||.
      long double w = 0;
      for (Eigen::Index i = 0; i < lambdas.size(); ++i) {
        const long double r = residual(twin->method, twin->lambda(lambdas(i)), x.peak.t);
        if (weights.size() == 0) w = std::max(w, std::fabs(r));
        else w += (static_cast<long double>(weights(i)) * r) * (static_cast<long double>(weights(i)) * r);
      }
      if (weights.size() != 0) w = std::sqrt(w) / static_cast<long double>(weights.norm());
      // The twin's own error: the peak's error model, scaled to long double.
      const long double own = static_cast<long double>(x.peak_error) *
                              (std::numeric_limits<long double>::epsilon() /
                               std::numeric_limits<double>::epsilon());
      err = std::max(err, twin_error(x.peak.peak, w, own));
    }
  } else {
    (void)twin;
  }
  const Scalar lambda = lambdas(x.peak.index);
  if (lambda_error > 0 && x.peak.t > 0) {
    const Scalar p0 = residual(m, lambda, x.peak.t);
    for (const Scalar& l : {Scalar(lambda - lambda_error), Scalar(lambda + lambda_error)}) {
      const Scalar w = weights.size() == 0 ? Scalar(1) : Scalar(abs(weights(x.peak.index)) / weights.norm());
      err = std::max(err, Scalar(w * abs(residual(m, l, x.peak.t) - p0)));
    }
  }
  const int digits = reliable_digits(x.peak.peak, err, prec.digits);
  j["peak"] = decimal(x.peak.peak, prec, digits);
  j["peak_t"] = x.peak.t;
  j["peak_lambda"] = decimal(lambda, prec);
  j["peak_complete"] = x.peak.complete;
  j["peak_reliable_digits"] = digits;
  return j;
}

/// The default start of `method` in words: "x_{-1} = x_0, v_0 = 0" (the four named methods),
/// "x_{-1} = x_0" (general), "g_0 = 0" (qhm), "torch's first step, b_0 = d_0" (pytorch).
std::string default_start_text(const std::string& method);
/// The x-error line of a text report: "13693 until ||x_t - x*|| <= 1e-6 ||x_0 - x*|| from every
/// x_0 (<default_start_text(method)>) ...".
std::string x_error_text(const Json& x, const std::string& method);
/// Its peak: "max_t ||x_t - x*|| / ||x_0 - x*|| = 1 at t = 0 ...".
std::string x_error_peak_text(const Json& x);

}  // namespace momentum::cli
