// Fuzz target: momentum::parse<Scalar>(text, name) (include/momentum/scalar.hpp) in double,
// MPFR at 50 digits and cpp_bin_float_50, on arbitrary bytes.
// Contract: a finite value, or std::invalid_argument whose message names the argument; any
// other exception, a NaN or infinite result, a crash or a hang is a finding. Cross-checks:
//   - the grammar does not depend on the type: what double accepts, the wider 50-digit types
//     accept too;
//   - where double and MPFR both parse a decimal, the double is the MPFR value rounded to
//     double (both readers round correctly; a tie at 50 digits may round either way). A
//     rational p/q is the quotient of its correctly rounded parts, so each part is checked so;
//   - MPFR and cpp_bin_float_50 agree to their common precision.
#include "fuzz_support.hpp"

#include <momentum/scalar.hpp>

#include <cmath>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <typeinfo>

namespace {

using momentum::float50;
using momentum::mpfr_float;
using momentum::fuzz::finding;

const char* const name = "--fuzzed";

template <class Scalar>
std::optional<Scalar> parse(const std::string& text, const char* type) {
  try {
    Scalar x = momentum::parse<Scalar>(text, name);
    if (!momentum::is_finite(x))
      finding(std::string("parse<") + type + "> returned a non-finite value", text);
    return x;
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).find(name) == std::string::npos)
      finding(
          std::string("parse<") + type + ">: the message does not name the argument: " + e.what(),
          text);
    return std::nullopt;
  } catch (const std::exception& e) {
    finding(std::string("parse<") + type + "> threw " + typeid(e).name() + ": " + e.what(), text);
  } catch (...) {
    finding(std::string("parse<") + type + "> threw a non-standard exception", text);
  }
}

/// d is m rounded to double, or m is (at 50 digits) a tie between d and its neighbour.
bool rounds_to(const mpfr_float& m, double d) {
  const double dm = static_cast<double>(m);  // mpfr_get_d, to nearest
  if (dm == d) return true;
  if (std::nextafter(d, dm) != dm) return false;
  using std::abs;
  const mpfr_float mid = (mpfr_float(d) + mpfr_float(dm)) / 2;  // exact
  return abs(m - mid) <= abs(m) * std::numeric_limits<mpfr_float>::epsilon() * 16;
}

void check_decimal(const std::string& text, const std::string& whole) {
  const std::optional<double> d = parse<double>(text, "double");
  const std::optional<mpfr_float> m = parse<mpfr_float>(text, "mpfr_float");
  if (d && m && !rounds_to(*m, *d))
    finding("parse<double>(\"" + text + "\") = " + momentum::to_string(*d, 17) +
                " is not parse<mpfr_float> = " + momentum::to_string(*m, 50) + " rounded to double",
            whole);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  momentum::set_digits(50);
  const std::string text(momentum::fuzz::as_text(data, size));
  const std::optional<double> d = parse<double>(text, "double");
  const std::optional<mpfr_float> m = parse<mpfr_float>(text, "mpfr_float");
  const std::optional<float50> f = parse<float50>(text, "cpp_bin_float_50");
  if (d && !m) finding("double parses it, mpfr_float at 50 digits does not", text);
  if (d && !f) finding("double parses it, cpp_bin_float_50 does not", text);

  if (d) {
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos) {
      check_decimal(text, text);
    } else {
      check_decimal(text.substr(0, slash), text);
      check_decimal(text.substr(slash + 1), text);
    }
  }

  // Near MPFR's least exponent (cpp_bin_float_50 reaches further) MPFR flushes to 0 or its
  // least number: compare where both types are well inside their range.
  if (m && f && *m != 0 && mpfr_get_exp(m->backend().data()) > mpfr_get_emin() + 200) {
    // Both are correctly rounded (at most three roundings for a rational) to about 167 bits.
    using std::abs;
    const mpfr_float fm(f->str(60, std::ios_base::scientific));
    const mpfr_float tolerance = abs(*m) * std::numeric_limits<mpfr_float>::epsilon() * 8;
    if (abs(fm - *m) > tolerance)
      finding("parse<mpfr_float> = " + momentum::to_string(*m, 50) +
                  " and parse<cpp_bin_float_50> = " + f->str(50) + " differ",
              text);
  }
  return 0;
}
