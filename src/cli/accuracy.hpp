#pragma once
/// \file accuracy.hpp
/// How many digits of a computed spectral radius can be trusted, so the tool prints those and
/// no more (issue 7, numerical honesty). Two sources of error are modelled:
/// - near a double root the radius (|p| + sqrt(D))/2 moves by up to sqrt(|dD|)/2 for an error
///   dD of the discriminant D (spectrum.hpp bounds dD, including one-ulp changes of the inputs);
/// - eigenvalues computed from a matrix carry an absolute error (Problem::lambda_error, about
///   epsilon ||Q||), which moves rho by up to the spread of rho over the eigenvalue's error
///   interval.

#include "common.hpp"

#include <momentum/spectrum.hpp>
#include <momentum/worst_case.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

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

/// Significant digits of `value` worth printing given an absolute error bound `err`: all
/// `wanted` within a few ulps (the working precision's own rounding, which the printed digits
/// -- the shortest round-trip double, or the guard digits of MPFR -- already account for), else
/// those the error leaves (at least 1). An exact 0 keeps all; a NaN error keeps 1.
template <class Scalar>
int reliable_digits(const Scalar& value, const Scalar& err, int wanted) {
  using std::abs;
  if (!(err == err)) return 1;
  if (err <= 16 * epsilon<Scalar>() * abs(value)) return wanted;
  if (value == 0) return err == 0 ? wanted : 1;
  return correct_digits(value, err, wanted);
}

/// A bound on the absolute error of sp = spectrum(m, lambda).rho when lambda itself is known
/// only to within +-lambda_error (0: exact).
template <class Method, class Scalar>
Scalar radius_error_bound(const Method& m, const Scalar& lambda, const Spectrum<Scalar>& sp,
                          const Scalar& lambda_error) {
  using std::abs;
  Scalar err = radius_error(sp);
  if (lambda_error > 0) {
    for (int sign : {-1, 1}) {
      const Scalar l = lambda + sign * lambda_error;
      if (!(l > 0)) return std::numeric_limits<Scalar>::infinity();  // not even its sign is known
      const Spectrum<Scalar> near = spectrum(m, l);
      const Scalar e = abs(near.rho - sp.rho) + radius_error(near);
      if (e > err) err = e;
    }
  }
  // rho = 0 (Nesterov's nilpotent q = 0): exact.
  if (sp.rho == 0 && lambda_error == 0) return Scalar(0);
  return err;
}

/// Correct significant digits (at most `wanted`) of the radius sp = spectrum(m, lambda) when
/// lambda itself is known only to within +-lambda_error.
template <class Method, class Scalar>
int radius_digits(const Method& m, const Scalar& lambda, const Spectrum<Scalar>& sp,
                  const Scalar& lambda_error, int wanted) {
  if (sp.rho == 0 && lambda_error == 0) return wanted;
  return reliable_digits(sp.rho, radius_error_bound(m, lambda, sp, lambda_error), wanted);
}

/// Reliable digits of the largest radius among `lambdas` (the rate a run sees, whichever of
/// them is the dominant excited one): the fewest among the eigenvalues whose radius could be
/// the largest within the error bounds.
template <class Method, class Scalar>
int dominant_radius_digits(const Method& m, const Vector<Scalar>& lambdas,
                           const Scalar& lambda_error, int wanted) {
  const Eigen::Index n = lambdas.size();
  std::vector<Scalar> rho(static_cast<std::size_t>(n)), err(static_cast<std::size_t>(n));
  std::vector<int> digits(static_cast<std::size_t>(n));
  Scalar floor_rho(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    const Spectrum<Scalar> sp = spectrum(m, Scalar(lambdas(i)));
    rho[k] = sp.rho;
    err[k] = radius_error_bound(m, Scalar(lambdas(i)), sp, lambda_error);
    digits[k] = sp.rho == 0 && lambda_error == 0 ? wanted : reliable_digits(sp.rho, err[k], wanted);
    if (Scalar(rho[k] - err[k]) > floor_rho) floor_rho = rho[k] - err[k];
  }
  int d = wanted;
  for (std::size_t k = 0; k < rho.size(); ++k)
    if (rho[k] + err[k] >= floor_rho) d = std::min(d, digits[k]);
  return d;
}

/// Why a radius has fewer digits than asked: the accuracy note's reason.
enum class DigitLoss { none, double_root, eigenvalue, inputs };

/// How far a worst-case rate can be trusted: its reliable digits, its error bound, whether the
/// verdict "converges" (rho < 1) or "diverges" survives that error bound, and why digits are
/// lost.
template <class Scalar>
struct WorstAccuracy {
  int digits = 0;              ///< reliable digits of the worst-case rho
  int digits_min = 0;          ///< of the radius at lambda_min
  int digits_max = 0;          ///< of the radius at lambda_max
  Scalar error;                ///< error bound of the worst-case rho
  /// False when the regime says rho < 1 (or rho > 1) but rho is within its error bound of 1:
  /// the working precision cannot tell whether the method converges.
  bool decided = true;
  DigitLoss loss = DigitLoss::none;
};

/// The accuracy of wc = worst_case(m, lambda_min, lambda_max) with eigenvalues known to within
/// +-lambda_error.
template <class Method, class Scalar>
WorstAccuracy<Scalar> worst_case_accuracy(const Method& m, const WorstCase<Scalar>& wc,
                                          const Scalar& lambda_error, int wanted) {
  using std::abs;
  WorstAccuracy<Scalar> a;
  const Scalar e_min = radius_error_bound(m, wc.lambda_min, wc.at_min, lambda_error);
  const Scalar e_max = radius_error_bound(m, wc.lambda_max, wc.at_max, lambda_error);
  a.digits_min = wc.at_min.rho == 0 && lambda_error == 0 ? wanted : reliable_digits(wc.at_min.rho, e_min, wanted);
  a.digits_max = wc.at_max.rho == 0 && lambda_error == 0 ? wanted : reliable_digits(wc.at_max.rho, e_max, wanted);
  const bool at_min = !wc.worst_eigenvalues.empty() && wc.worst_eigenvalues[0] == wc.lambda_min;
  const bool both = wc.worst_eigenvalues.size() > 1;
  a.digits = both ? std::min(a.digits_min, a.digits_max) : (at_min ? a.digits_min : a.digits_max);
  a.error = both ? Scalar(std::max(e_min, e_max)) : (at_min ? e_min : e_max);
  const bool converges = wc.regime != Regime::boundary && wc.regime != Regime::divergent;
  if (converges) a.decided = wc.rho + a.error < 1;
  else if (wc.regime == Regime::divergent) a.decided = wc.rho - a.error > 1;
  if (a.digits < wanted || !a.decided) {
    // The largest contribution names the reason.
    const Spectrum<Scalar>& sp = both ? (e_min >= e_max ? wc.at_min : wc.at_max)
                                      : (at_min ? wc.at_min : wc.at_max);
    const Scalar own = radius_error(sp);
    if (lambda_error > 0 && a.error > 2 * own) a.loss = DigitLoss::eigenvalue;
    else if (sp.count == 2 && abs(sp.critical_distance) < Scalar(1) / 1000) a.loss = DigitLoss::double_root;
    else a.loss = DigitLoss::inputs;
  }
  return a;
}

}  // namespace momentum::cli
