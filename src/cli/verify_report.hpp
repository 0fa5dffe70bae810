#pragma once
/// \file verify_report.hpp
/// A rate verification (verify.hpp) as JSON keys of a report.

#include "json_output.hpp"

#include <momentum/verify.hpp>

namespace momentum::cli {

/// Adds holds, band_holds, sharp_holds, reason, spectral_radius, rho_computed, m, m_computed,
/// regime, steps, band, measured, estimates, estimate_errors, sharp_deviation, sharp_worst_t,
/// detectable_rate_error.
template <class Scalar>
void add_verification(Json& j, const RateVerification<Scalar>& r, const Precision& p) {
  j["holds"] = r.holds;
  j["band_holds"] = r.band_holds;
  j["sharp_holds"] = r.sharp_holds;
  j["reason"] = r.reason;
  j["spectral_radius"] = decimal(r.rho, p);
  j["rho_computed"] = decimal(r.rho_computed, p);
  j["m"] = r.m;
  j["m_computed"] = r.m_computed;
  j["regime"] = to_string(r.regime);
  j["steps"] = r.steps;
  j["band"] = {{"c_lo", decimal(r.c_lo, p, 8)}, {"c_hi", decimal(r.c_hi, p, 8)}};
  j["measured"] = {{"min", decimal(r.measured_min, p, 8)},
                   {"max", decimal(r.measured_max, p, 8)},
                   {"argmin_t", r.argmin_t},
                   {"argmax_t", r.argmax_t}};
  j["estimates"] = {{"root", decimal(r.estimate_root, p)},
                    {"slope", decimal(r.estimate_slope, p)},
                    {"gelfand", decimal(r.estimate_gelfand, p)}};
  j["estimate_errors"] = {{"root", decimal(r.error_root, p, 3)},
                          {"slope", decimal(r.error_slope, p, 3)},
                          {"gelfand", decimal(r.error_gelfand, p, 3)}};
  j["sharp_deviation"] = decimal(r.sharp_deviation, p, 4);
  j["sharp_worst_t"] = r.sharp_worst_t;
  j["detectable_rate_error"] = decimal(r.detectable_rate_error, p, 3);
}

}  // namespace momentum::cli
