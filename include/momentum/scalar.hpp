#pragma once
/// \file scalar.hpp
/// Scalar types, their Eigen traits, precision control and exact parsing of decimal and
/// rational inputs ("0.1", "4/121", "1e-4") straight into the working precision.

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <Eigen/Core>

#include <cctype>
#include <sstream>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace Eigen {
/// Eigen traits for Boost.Multiprecision numbers. Boost 1.74's own `eigen.hpp` lacks
/// `infinity()` and `quiet_NaN()`, which Eigen 3.4's eigen-solvers need, and its `lowest()`
/// returns the smallest positive number; this specialization replaces it (never include both).
template <class Backend, boost::multiprecision::expression_template_option ET>
struct NumTraits<boost::multiprecision::number<Backend, ET>>
    : GenericNumTraits<boost::multiprecision::number<Backend, ET>> {
  using Self = boost::multiprecision::number<Backend, ET>;
  using Real = Self;
  using NonInteger = Self;
  using Literal = Self;
  using Nested = Self;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 1,
    AddCost = 4,
    MulCost = 8
  };
  static Self epsilon() { return std::numeric_limits<Self>::epsilon(); }
  static Self dummy_precision() { return 1000 * epsilon(); }
  static Self highest() { return (std::numeric_limits<Self>::max)(); }
  static Self lowest() { return std::numeric_limits<Self>::lowest(); }
  static Self infinity() { return std::numeric_limits<Self>::infinity(); }
  static Self quiet_NaN() { return std::numeric_limits<Self>::quiet_NaN(); }
  static int digits10() { return std::numeric_limits<Self>::digits10; }
};

/// Mixing a number with its own expression templates (mpfr_float has them on).
template <class Backend, boost::multiprecision::expression_template_option ET, class Tag,
          class A1, class A2, class A3, class A4, typename BinaryOp>
struct ScalarBinaryOpTraits<boost::multiprecision::number<Backend, ET>,
                            boost::multiprecision::detail::expression<Tag, A1, A2, A3, A4>,
                            BinaryOp> {
  using ReturnType = boost::multiprecision::number<Backend, ET>;
};
template <class Backend, boost::multiprecision::expression_template_option ET, class Tag,
          class A1, class A2, class A3, class A4, typename BinaryOp>
struct ScalarBinaryOpTraits<boost::multiprecision::detail::expression<Tag, A1, A2, A3, A4>,
                            boost::multiprecision::number<Backend, ET>, BinaryOp> {
  using ReturnType = boost::multiprecision::number<Backend, ET>;
};
}  // namespace Eigen

namespace momentum {

/// 50 significant decimal digits, fixed at compile time (Boost's own binary float).
using float50 = boost::multiprecision::cpp_bin_float_50;
/// MPFR with 50 digits fixed at compile time.
using mpfr50 = boost::multiprecision::mpfr_float_50;
/// MPFR with precision chosen at run time (`set_digits`).
using mpfr_float = boost::multiprecision::mpfr_float;

/// The scalars the library compiles its heavy templates for once, in src/ (explicit
/// instantiation): each header with such templates ends with `MOMENTUM_EXTERN_FOR_EACH_SCALAR(
/// MOMENTUM_<HEADER>_INSTANCES)`, which declares them extern, so that a program using these
/// scalars links them from the library instead of compiling them again in every translation
/// unit. Any other scalar instantiates the templates implicitly, as usual.
#define MOMENTUM_EXTERN_FOR_EACH_SCALAR(INSTANCES)                                            \
  INSTANCES(extern, double)                                                                  \
  INSTANCES(extern, long double)                                                             \
  INSTANCES(extern, momentum::float50)                                                       \
  INSTANCES(extern, momentum::mpfr_float)

/// Dense matrix and vector aliases.
template <class Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <class Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

/// Sets the precision of newly created run-time-precision MPFR numbers to `digits` decimal
/// digits. Throws std::invalid_argument outside [1, 1000000].
inline void set_digits(int digits) {
  if (digits < 1 || digits > 1000000)
    throw std::invalid_argument("set_digits: digits must lie in [1, 1000000], got " +
                                std::to_string(digits));
  mpfr_float::default_precision(static_cast<unsigned>(digits));
}

/// Machine epsilon of Scalar (at the current default precision for run-time MPFR).
template <class Scalar>
Scalar epsilon() {
  return Eigen::NumTraits<Scalar>::epsilon();
}

/// Decimal digits Scalar carries (at the current default precision for run-time MPFR).
template <class Scalar>
int digits10() {
  return Eigen::NumTraits<Scalar>::digits10();
}

/// True when x is neither NaN nor infinite, in any scalar type.
template <class Scalar>
bool is_finite(const Scalar& x) {
  using std::isfinite;
  using boost::multiprecision::isfinite;
  return static_cast<bool>(isfinite(x));
}

namespace detail {

/// Validates the grammar of an unsigned-or-signed decimal: [+-]digits[.digits][(e|E)[+-]digits]
/// with at least one digit in the mantissa. Rejects hexadecimal, "inf", "nan", "--1", "".
inline bool is_decimal(const std::string& s) {
  std::size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa_digits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++mantissa_digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == n;
}

/// Exponents of more digits than this are clamped before a type's reader sees them.
inline constexpr std::size_t max_exponent_digits = 10;

/// A validated decimal with an exponent of 10^10 or more in magnitude rewritten to +-10^10
/// (leading zeros of the exponent do not count). The value is unchanged where it matters: with
/// a mantissa written in fewer than 10^9 characters it lies beyond 10^(9 10^9) or below its
/// reciprocal either way, far outside every supported type's range (double's 10^308,
/// cpp_bin_float_50's 10^646392383, MPFR's default 10^323228496), so it overflows or
/// underflows to 0 all the same.
/// Why: cpp_bin_float's reader (Boost 1.74) accumulates the exponent in a 64-bit integer
/// without a check, so 19 digits overflow it, and from about 10^15 its error counter in
/// restricted_pow overflows too (undefined behaviour, then std::range_error); exponents up to
/// 2^35 are handled correctly. Found by tests/fuzz/fuzz_parse.cpp.
inline std::string clamp_exponent(const std::string& s) {
  const std::size_t e = s.find_first_of("eE");
  if (e == std::string::npos) return s;
  std::size_t first = e + 1;
  const bool sign = first < s.size() && (s[first] == '+' || s[first] == '-');
  if (sign) ++first;
  std::size_t digits = first;
  while (digits + 1 < s.size() && s[digits] == '0') ++digits;
  if (s.size() - digits <= max_exponent_digits) return s;
  return s.substr(0, first) + "1" + std::string(max_exponent_digits, '0');  // 10^10
}

/// True when a validated decimal has a non-zero digit in its mantissa (so its value is not 0).
inline bool nonzero_mantissa(const std::string& s) {
  for (const char c : s) {
    if (c == 'e' || c == 'E') break;
    if (c >= '1' && c <= '9') return true;
  }
  return false;
}

/// Whether a non-zero value came out as 0 or as a subnormal number (fewer significant bits than
/// the type carries): the decimal lies below the type's normal range. Types without subnormal
/// numbers (MPFR, cpp_bin_float) underflow straight to 0.
template <class Scalar>
bool underflowed(const Scalar& r) {
  using std::abs;
  if (r == 0) return true;
  if constexpr (std::numeric_limits<Scalar>::has_denorm == std::denorm_present)
    return abs(r) < (std::numeric_limits<Scalar>::min)();
  return false;
}

/// Rounds a validated decimal string to Scalar, correctly rounded where the type's reader is
/// (strtod/strtold; MPFR's mpfr_set_str; cpp_bin_float's exact decimal reader).
template <class Scalar>
Scalar decimal_to_scalar(const std::string& text) {
  const std::string s = clamp_exponent(text);
  if constexpr (std::is_same_v<Scalar, double>) {
    return std::strtod(s.c_str(), nullptr);
  } else if constexpr (std::is_same_v<Scalar, long double>) {
    return std::strtold(s.c_str(), nullptr);
  } else if constexpr (std::is_same_v<Scalar, float>) {
    return std::strtof(s.c_str(), nullptr);
  } else {
    return Scalar(s);
  }
}

}  // namespace detail

/// Parses a number written as an integer, a decimal ("0.1", "-1.5e-4") or a rational
/// ("4/121", "1e-3/7") straight into Scalar, without passing through double: "0.1" becomes the
/// Scalar nearest 1/10 (and a rational is the quotient of its two correctly rounded parts).
/// \param text the number; surrounding blanks are not allowed.
/// \param what the argument's name, used in the error message.
/// \throws std::invalid_argument when the text is not such a number, or when the value
///         overflows Scalar, is NaN/infinite, or a rational has a zero denominator, or when a
///         non-zero value underflows Scalar (to 0, or for double to a subnormal number with
///         fewer significant bits): "1e-400" is not silently 0 in double.
template <class Scalar>
Scalar parse(const std::string& text, const std::string& what = "number") {
  auto fail = [&](const std::string& why) -> Scalar {
    throw std::invalid_argument(what + ": " + why + ", got \"" + text + "\"");
  };
  const std::string underflow =
      "the number is out of range (too small: non-zero, but below the smallest normal number "
      "of the working precision)";
  const std::size_t slash = text.find('/');
  if (slash != std::string::npos) {
    const std::string num = text.substr(0, slash), den = text.substr(slash + 1);
    if (!detail::is_decimal(num) || !detail::is_decimal(den))
      return fail("expected a rational p/q of two decimal numbers");
    const Scalar p = detail::decimal_to_scalar<Scalar>(num);
    const Scalar q = detail::decimal_to_scalar<Scalar>(den);
    if (!is_finite(p) || !is_finite(q)) return fail("the number is out of range (too large)");
    if (detail::nonzero_mantissa(num) && detail::underflowed(p))
      return fail(underflow);
    if (detail::nonzero_mantissa(den) && detail::underflowed(q)) return fail(underflow);
    if (q == 0) return fail("the denominator must not be zero");
    const Scalar r = p / q;
    if (!is_finite(r)) return fail("the number is out of range (too large)");
    if (p != 0 && detail::underflowed(r)) return fail(underflow);
    return r;
  }
  if (!detail::is_decimal(text))
    return fail("expected a decimal number such as 0.6, 1e-4 or a rational such as 4/121");
  const Scalar r = detail::decimal_to_scalar<Scalar>(text);
  if (!is_finite(r)) return fail("the number is out of range (too large)");
  if (detail::nonzero_mantissa(text) && detail::underflowed(r)) return fail(underflow);
  return r;
}

/// Writes x with `digits` significant decimal digits in scientific or fixed notation as
/// needed (std::defaultfloat semantics), in any scalar type.
template <class Scalar>
std::string to_string(const Scalar& x, int digits) {
  std::ostringstream out;
  out.precision(digits);
  out << x;
  return out.str();
}

}  // namespace momentum
