#pragma once
/// \file accuracy.hpp
/// How many digits of a computed spectral radius can be trusted, so the tool prints those and
/// no more (issue 7, numerical honesty). Two sources of error are modelled:
/// - near a double root the radius (|p| + sqrt(D))/2 moves by up to sqrt(|dD|)/2 for an error
///   dD of the discriminant D (spectrum.hpp bounds dD, including one-ulp changes of the inputs);
/// - eigenvalues computed from a matrix carry an absolute error (about n epsilon ||Q||), which
///   moves rho by up to the spread of rho over the eigenvalue's error interval.

#include "common.hpp"

#include <momentum/spectrum.hpp>

#include <algorithm>
#include <cmath>

namespace momentum::cli {

/// A bound on the absolute error of sp.rho: a few ulps plus the discriminant's effect.
template <class Scalar>
Scalar radius_error(const Spectrum<Scalar>& sp) {
  using std::abs;
  using std::sqrt;
  using std::min;
  Scalar err = 4 * epsilon<Scalar>() * abs(sp.rho);
  if (sp.count == 2 && sp.regime != Regime::complex) {
    const Scalar e = sp.discriminant_error;
    if (sp.double_root) {
      err += sqrt(e) / 2;
    } else if (sp.discriminant > 0) {
      err += min(Scalar(sqrt(e)), Scalar(e / sqrt(sp.discriminant))) / 2;
    }
  }
  return err;
}

/// Significant digits of `value` that an absolute error `err` leaves correct (at least 1,
/// at most `wanted`).
template <class Scalar>
int correct_digits(const Scalar& value, const Scalar& err, int wanted) {
  using std::abs;
  using std::log10;
  if (err <= 0) return wanted;
  if (value == 0) return 1;
  const double d = static_cast<double>(log10(abs(value) / err));
  if (!(d == d)) return 1;
  const int digits = static_cast<int>(std::floor(d));
  return std::clamp(digits, 1, wanted);
}

}  // namespace momentum::cli

namespace momentum::cli {

/// Correct significant digits (at most `wanted`) of the radius sp = spectrum(m, lambda) when
/// lambda itself is known only to within +-lambda_error.
template <class Method, class Scalar>
int radius_digits(const Method& m, const Scalar& lambda, const Spectrum<Scalar>& sp,
                  const Scalar& lambda_error, int wanted) {
  using std::abs;
  Scalar err = radius_error(sp);
  if (lambda_error > 0) {
    for (int sign : {-1, 1}) {
      const Scalar l = lambda + sign * lambda_error;
      const Spectrum<Scalar> near = spectrum(m, l);
      const Scalar e = abs(near.rho - sp.rho) + radius_error(near);
      if (e > err) err = e;
    }
  }
  // rho = 0 (Nesterov's nilpotent q = 0): exact.
  if (sp.rho == 0) return wanted;
  // Within a few ulps: the working precision's own rounding, which the printed digits (the
  // shortest round-trip double, or the guard digits of MPFR) already account for.
  if (err <= 16 * epsilon<Scalar>() * abs(sp.rho)) return wanted;
  return correct_digits(sp.rho, err, wanted);
}

}  // namespace momentum::cli
