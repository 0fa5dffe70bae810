#pragma once
/// \file accuracy.hpp
/// How many digits of a computed value can be trusted, so the tool prints those and no more
/// (issues 7 and 18, numerical honesty). A value's error bound counts
/// - the rounding of its inputs: the decimals typed ("0.00582" is not a double) are rounded to
///   the working precision, and the result moves by its condition times that rounding;
/// - its own arithmetic, a few ulps, and near a double root the radius (|p| + sqrt(D))/2 moves
///   by up to sqrt(|dD|)/2 for an error dD of the discriminant D (spectrum.hpp);
/// - eigenvalues computed from a matrix carry an absolute error (Problem::lambda_error, about
///   epsilon ||Q||), which moves rho by up to the spread of rho over the eigenvalue's error
///   interval.
/// A double run measures the first two against its wide twin (Twin below): the same question
/// in long double (64-bit significand, 2048 times finer), its numbers parsed again from the
/// text as typed; the bound is the distance between the two plus the twin's own (modelled)
/// error. An MPFR run carries guard digits and uses the model alone.
/// The printed decimal of a value with d reliable digits is within one unit of its d-th digit
/// of the exact answer of the inputs as typed.

#include "common.hpp"
#include "typed_eigenvalues.hpp"

#include <momentum/spectrum.hpp>
#include <momentum/worst_case.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace momentum::cli {

/// The wide twin's type of a method: Method<double> -> Method<long double>.
template <class M>
struct WideOf;
template <template <class> class Method, class S>
struct WideOf<Method<S>> {
  using type = Method<long double>;
};

/// The wide twin of a double run's method and eigenvalues (file comment). Methods in other
/// scalars have none (a null Twin pointer).
template <class Method>
struct Twin {
  typename WideOf<Method>::type method;
  const TypedEigenvalues* eigenvalues = nullptr;
  long double lambda(double l) const {
    return eigenvalues ? (*eigenvalues)(l) : static_cast<long double>(l);
  }
};

/// The twin's spectrum at lambda (double runs with a twin; else none).
template <class Method, class Scalar>
std::unique_ptr<Spectrum<long double>> twin_spectrum(const Twin<Method>* twin, const Scalar& lambda) {
  if constexpr (std::is_same_v<Scalar, double>) {
    if (twin) return std::make_unique<Spectrum<long double>>(spectrum(twin->method, twin->lambda(lambda)));
  } else {
    (void)twin, (void)lambda;
  }
  return nullptr;
}

/// Digits the default double precision always holds: fewer reliable ones than this (or than
/// an explicit --digits, or than MPFR's digits) earn a note. A double carries 15 to 17 digits:
/// the 17 of its shortest round-trip decimal are not all correct (they pin down the double, not
/// the exact answer), so the reliable digits of a double result are usually 15 or 16.
constexpr int double_digits = 15;

/// Whether `reliable` digits are fewer than the run can be expected to give (a note says so).
inline bool digits_lost(int reliable, const Precision& p) {
  return reliable < (p.explicit_digits || p.multiprecision ? p.digits : double_digits);
}

/// A bound on the absolute error of sp.rho: a few ulps, the library's bound (rounding plus
/// one-ulp changes of the inputs) and the discriminant's effect.
template <class Scalar>
Scalar radius_error(const Spectrum<Scalar>& sp) {
  using std::abs;
  using std::sqrt;
  using std::min;
  Scalar err = 4 * epsilon<Scalar>() * abs(sp.rho) + sp.rho_error;
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

/// Significant digits d of `value` such that every number within an absolute error `err` of
/// it is within one unit of the d-th digit of value rounded to d digits: err <= |value|
/// 10^-d / 2 (at least 1, at most `wanted`).
template <class Scalar>
int correct_digits(const Scalar& value, const Scalar& err, int wanted) {
  using std::abs;
  using std::log10;
  if (err <= 0) return wanted;
  if (value == 0) return 1;
  const double d = static_cast<double>(log10(abs(value) / (2 * err)));
  if (!(d >= 1)) return 1;  // also NaN, and -inf for an infinite error (no int cast of it)
  if (d >= wanted) return wanted;
  const int digits = static_cast<int>(std::floor(d));
  return std::clamp(digits, 1, wanted);
}

namespace detail {
/// std::pow(10.0L, k), the same long double, from a table for |k| <= 400 (every exponent a
/// double's digits need): powl was a fifth of a quick `rate` (bench/README.md, Python).
inline long double pow10l(int k) {
  constexpr int range = 400;
  static const std::array<long double, 2 * range + 1> table = [] {
    std::array<long double, 2 * range + 1> t{};
    for (int i = -range; i <= range; ++i) t[static_cast<std::size_t>(i + range)] = std::pow(10.0L, i);
    return t;
  }();
  if (k < -range || k > range) return std::pow(10.0L, k);
  return table[static_cast<std::size_t>(k + range)];
}
/// One unit in the last of `digits` significant digits of `printed`.
inline long double last_unit(long double printed, int digits) {
  if (printed == 0) return 0;
  const int e = static_cast<int>(std::floor(std::log10(std::fabs(printed))));
  return pow10l(e - digits + 1);
}
/// v rounded to `digits` significant digits (as to_string(v, digits) prints it, up to a long
/// double rounding, which the check's margin covers: at a tie both neighbours are equally far),
/// or its shortest round-trip decimal (digits = 0). No stream or parser on a landscape's hot
/// path.
/// floor(log10 |v|) in long double, as rounded() takes it (v != 0).
inline int decimal_exponent(double v) {
  const long double x = v;
  return static_cast<int>(std::floor(std::log10(std::fabs(x))));
}
/// rounded(v, digits) for v != 0 and digits > 0, given e = decimal_exponent(v).
inline long double rounded_at(double v, int e, int digits) {
  const long double x = v;
  const long double scale = pow10l(digits - 1 - e);
  return std::nearbyint(x * scale) / scale;
}
inline long double rounded(double v, int digits) {
  if (digits > 0) {
    if (v == 0) return 0;
    return rounded_at(v, decimal_exponent(v), digits);
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf - 1, v);
  *r.ptr = '\0';
  return std::strtold(buf, nullptr);
}
/// Whether p, a rounding of v, is within one unit of its digits-th digit of everything within
/// err of v (a little margin for the long double arithmetic of the check).
inline bool within_last_unit(long double p, double v, long double err, int digits) {
  const long double off = std::fabs(p - static_cast<long double>(v)) + err +
                          std::fabs(p) * std::numeric_limits<long double>::epsilon() * 4;
  return off <= last_unit(p, digits);
}
}  // namespace detail

/// Significant digits of `value` worth printing given an absolute error bound `err` (at most
/// `wanted`, at least 1): the printed decimal, value rounded to that many digits, is within one
/// unit of its last digit of the exact answer. A 0 error keeps all `wanted`; a NaN error keeps
/// 1. In double the digit the bound cannot settle is tried on the decimal actually printed
/// (1.4967799999999998 with an error of 2 ulps prints as 1.49678, right to 16 digits); at 17
/// digits, both the shortest round-trip decimal and the 17-digit one must pass.
template <class Scalar>
int reliable_digits(const Scalar& value, const Scalar& err, int wanted) {
  if (!(err == err)) return 1;
  if (err == 0) return wanted;
  if (value == 0) return 1;
  int d = correct_digits(value, err, wanted);
  if constexpr (std::is_same_v<Scalar, double>) {
    const long double e = err;
    // value's decimal exponent, the same for every rounding tried: taken once, when first needed.
    int exponent = 0;
    bool have_exponent = false;
    auto rounded = [&](int digits) {
      if (!have_exponent) {
        exponent = detail::decimal_exponent(value);
        have_exponent = true;
      }
      return detail::rounded_at(value, exponent, digits);
    };
    auto ok = [&](int digits) {
      return digits < 17 ? detail::within_last_unit(rounded(digits), value, e, digits)
                         : detail::within_last_unit(detail::rounded(value, 0), value, e, digits) &&
                               detail::within_last_unit(rounded(17), value, e, digits);
    };
    // 17 digits print the shortest round-trip decimal, up to half an ulp from the double: more
    // than one unit of the 17th digit just above a power of ten.
    if (d >= 17 && !ok(d)) d = 16;
    for (int more = d + 1; more <= std::min(wanted, 17) && more <= d + 2 && ok(more); ++more) d = more;
  }
  return d;
}

/// The error bound of a double value v against its wide twin w (the same value computed in
/// long double from the inputs as typed) whose own error is at most w_err.
inline double twin_error(double v, long double w, long double w_err) {
  const long double e = std::fabs(static_cast<long double>(v) - w) + w_err +
                        4 * std::numeric_limits<long double>::epsilon() * std::fabs(w);
  // Rounded up to a double.
  const double d = static_cast<double>(e);
  return static_cast<long double>(d) >= e ? d : std::nextafter(d, std::numeric_limits<double>::infinity());
}

/// A bound on the absolute error of sp = spectrum(m, lambda).rho when lambda itself is known
/// only to within +-lambda_error (0: exact). With a twin (double runs), the rounding of the
/// inputs as typed and of the arithmetic is measured against it; else modelled.
template <class Method, class Scalar>
Scalar radius_error_bound(const Method& m, const Scalar& lambda, const Spectrum<Scalar>& sp,
                          const Scalar& lambda_error, const Twin<Method>* twin = nullptr) {
  using std::abs;
  Scalar err = radius_error(sp);
  bool exact_zero = sp.rho == 0;  // Nesterov's nilpotent q = 0
  if constexpr (std::is_same_v<Scalar, double>) {
    if (twin) {
      const Spectrum<long double> w = spectrum(twin->method, twin->lambda(lambda));
      err = twin_error(sp.rho, w.rho, radius_error(w));
      exact_zero = exact_zero && w.rho == 0;
    }
  }
  if (lambda_error > 0) {
    for (int sign : {-1, 1}) {
      const Scalar l = lambda + sign * lambda_error;
      if (!(l > 0)) return std::numeric_limits<Scalar>::infinity();  // not even its sign is known
      const Spectrum<Scalar> near = spectrum(m, l);
      const Scalar e = abs(near.rho - sp.rho) + radius_error(near);
      if (e > err) err = e;
    }
  }
  // rho = 0 (Nesterov's nilpotent q = 0), also for the inputs as typed: exact.
  if (exact_zero && lambda_error == 0) return Scalar(0);
  return err;
}

/// Correct significant digits (at most `wanted`) of the radius sp = spectrum(m, lambda) when
/// lambda itself is known only to within +-lambda_error.
template <class Method, class Scalar>
int radius_digits(const Method& m, const Scalar& lambda, const Spectrum<Scalar>& sp,
                  const Scalar& lambda_error, int wanted, const Twin<Method>* twin = nullptr) {
  return reliable_digits(sp.rho, radius_error_bound(m, lambda, sp, lambda_error, twin), wanted);
}

/// Reliable digits of the largest radius among `lambdas` (the rate a run sees, whichever of
/// them is the dominant excited one): the fewest among the eigenvalues whose radius could be
/// the largest within the error bounds.
template <class Method, class Scalar>
int dominant_radius_digits(const Method& m, const Vector<Scalar>& lambdas,
                           const Scalar& lambda_error, int wanted,
                           const Twin<Method>* twin = nullptr) {
  const Eigen::Index n = lambdas.size();
  std::vector<Scalar> rho(static_cast<std::size_t>(n)), err(static_cast<std::size_t>(n));
  std::vector<int> digits(static_cast<std::size_t>(n));
  Scalar floor_rho(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    const Spectrum<Scalar> sp = spectrum(m, Scalar(lambdas(i)));
    rho[k] = sp.rho;
    err[k] = radius_error_bound(m, Scalar(lambdas(i)), sp, lambda_error, twin);
    digits[k] = reliable_digits(sp.rho, err[k], wanted);
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

/// Whether rho >= 1 holds for the method's parameters whatever the rounding of the arithmetic:
/// a zero step (1 is a root of every eigenvalue's block) or, for heavy ball and the velocity
/// form, |beta| >= 1 (the roots' moduli multiply to |beta|).
template <class S> bool radius_at_least_one(const GradientDescent<S>& m) { return m.eta == 0; }
template <class S> bool radius_at_least_one(const HeavyBall<S>& m) {
  using std::abs;
  return m.alpha == 0 || abs(m.beta) >= 1;
}
template <class S> bool radius_at_least_one(const Velocity<S>& m) {
  using std::abs;
  return m.eta == 0 || abs(m.beta) >= 1;
}
template <class S> bool radius_at_least_one(const Nesterov<S>& m) { return m.alpha == 0; }
/// The two-state family: 1 is a root at every lambda when alpha = 0 (p(1) = alpha lambda), and
/// with gamma = 0 the roots' moduli multiply to |beta|. PyTorch's SGD and QHM: their member's.
template <class S> bool radius_at_least_one(const TwoState<S>& m) {
  using std::abs;
  return m.alpha == 0 || (m.alpha_gamma == 0 && abs(m.beta) >= 1);
}
template <class S> bool radius_at_least_one(const PyTorchSGD<S>& m) {
  return radius_at_least_one(m.family());
}
template <class S> bool radius_at_least_one(const QHM<S>& m) {
  return radius_at_least_one(m.family());
}

/// Whether the verdict of a rate rho of regime `regime` with error bound `err` survives it:
/// rho < 1 by more than err (converges), rho > 1 by more than err (diverges). A rho computed as
/// exactly 1 (the boundary regime) is decided only when exact (err = 0) or when rho >= 1 is
/// certain (`at_least_one`: eta = 0, beta = 1): at kappa = 1e32 gd's 1 - 2/kappa rounds to 1
/// although the method converges.
template <class Scalar>
bool verdict_decided(const Scalar& rho, Regime regime, const Scalar& err, bool at_least_one = false) {
  if (regime == Regime::boundary) return at_least_one || !(err > 0);
  if (regime == Regime::divergent) return rho - err > 1;
  return rho + err < 1;
}

/// The accuracy of wc = worst_case(m, lambda_min, lambda_max) with eigenvalues known to within
/// +-lambda_error.
/// With `worst_only` (a landscape's grid points) only the end(s) attaining the rate are
/// assessed, and digits_min/digits_max are the worst case's.
template <class Method, class Scalar>
WorstAccuracy<Scalar> worst_case_accuracy(const Method& m, const WorstCase<Scalar>& wc,
                                          const Scalar& lambda_error, int wanted,
                                          const Twin<Method>* twin = nullptr,
                                          bool worst_only = false) {
  using std::abs;
  WorstAccuracy<Scalar> a;
  const bool at_min = !wc.worst_eigenvalues.empty() && wc.worst_eigenvalues[0] == wc.lambda_min;
  const bool both = wc.worst_eigenvalues.size() > 1;
  const bool need_min = !worst_only || both || at_min, need_max = !worst_only || both || !at_min;
  const Scalar e_min = need_min ? radius_error_bound(m, wc.lambda_min, wc.at_min, lambda_error, twin)
                                : Scalar(0);
  const Scalar e_max = !need_max ? Scalar(0)
                       : wc.lambda_max == wc.lambda_min && need_min
                           ? e_min
                           : radius_error_bound(m, wc.lambda_max, wc.at_max, lambda_error, twin);
  a.digits_min = need_min ? reliable_digits(wc.at_min.rho, e_min, wanted) : wanted;
  a.digits_max = need_max ? reliable_digits(wc.at_max.rho, e_max, wanted) : wanted;
  a.digits = both ? std::min(a.digits_min, a.digits_max) : (at_min ? a.digits_min : a.digits_max);
  a.error = both ? Scalar(std::max(e_min, e_max)) : (at_min ? e_min : e_max);
  // rho >= 1 for sure: for the parameters as computed and, in a double run, as typed.
  bool at_least_one = radius_at_least_one(m);
  if constexpr (std::is_same_v<Scalar, double>) {
    if (twin) at_least_one = at_least_one && radius_at_least_one(twin->method);
  }
  a.decided = verdict_decided(wc.rho, wc.regime, a.error, at_least_one);
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
