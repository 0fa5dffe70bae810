// Tests for scalar.hpp: exact parsing into the working precision, and its errors.
#include "test_support.hpp"

#include <momentum/scalar.hpp>

using namespace momentum;
using test::check_invalid;

TEST_CASE_TEMPLATE("parse reads decimals and rationals into the working precision", T,
                   MOMENTUM_SCALARS) {
  CHECK(parse<T>("2") == T(2));
  CHECK(parse<T>("-1.5") == T(-3) / 2);
  CHECK(parse<T>("+0.25e1") == T(5) / 2);
  CHECK(parse<T>("1E-4") == parse<T>("0.0001"));
  CHECK(parse<T>("4/121") == T(4) / 121);
  CHECK(parse<T>(".5") == T(1) / 2);
  CHECK(parse<T>("3.") == T(3));
  // "0.1" is the Scalar nearest 1/10, i.e. the correctly rounded quotient 1/10.
  CHECK(parse<T>("0.1") == T(1) / 10);
}

TEST_CASE("parse does not pass through double") {
  // The double nearest 0.1 differs from 1/10 by about 5.6e-18; at 50 digits that is visible.
  const float50 exact = parse<float50>("0.1");
  const float50 via_double = float50(0.1);
  CHECK(exact != via_double);
  CHECK(abs(exact * 10 - 1) < 1e-49);
  const mpfr_float m = parse<mpfr_float>("0.1");
  CHECK(abs(m * 10 - 1) < 1e-49);
  CHECK(m != mpfr_float(0.1));
}

TEST_CASE("parse follows the run-time MPFR precision") {
  set_digits(200);
  const mpfr_float third = parse<mpfr_float>("1/3");
  CHECK(abs(third * 3 - 1) < mpfr_float("1e-198"));
  set_digits(50);
}

TEST_CASE_TEMPLATE("parse rejects malformed numbers and names the argument", T, MOMENTUM_SCALARS) {
  for (const char* bad : {"", "abc", "0x1p3", "--1", "1e", "1.2.3", " 1", "1 ", "nan", "inf",
                          "-inf", "1/", "/2", "1/2/3", "e5", "+", "."}) {
    INFO("input: '" << std::string(bad) << "'");
    check_invalid([&] { (void)parse<T>(bad, "--alpha"); }, {"--alpha", bad});
  }
  check_invalid([] { (void)parse<T>("1/0", "--beta"); }, {"--beta", "denominator"});
  check_invalid([] { (void)parse<T>("0/0", "--beta"); }, {"--beta", "denominator"});
}

TEST_CASE("parse rejects values out of the type's range") {
  check_invalid([] { (void)parse<double>("1e99999", "--eta"); }, {"--eta", "out of range"});
  check_invalid([] { (void)parse<double>("-1e400", "--eta"); }, {"--eta", "out of range"});
  check_invalid([] { (void)parse<double>("1e300/1e-300", "--eta"); }, {"--eta", "out of range"});
  // 50-digit binary floats have a much wider exponent range.
  CHECK(parse<float50>("1e99999") > 0);
}

TEST_CASE_TEMPLATE("parse: exponents of 19 digits or more (fuzz_parse finding)", T,
                   MOMENTUM_SCALARS) {
  // cpp_bin_float's reader overflowed a 64-bit integer on such exponents (undefined behaviour,
  // then std::range_error from 10^15 on); they now overflow or underflow as they should.
  // Reproducers: tests/fuzz/corpus/parse/crash-exponent-*.
  for (const char* huge : {"0.431E810000100900719925474099309", "00.9e99999999999999999999931",
                           "1e999999999999999", "-1e+99999999999999999999", "1e10000000000",
                           "1e+99999999999999999999/7"})
    check_invalid([&] { (void)parse<T>(huge, "--eta"); }, {"--eta", "out of range"});
  // Non-zero values that small underflow every type: refused, not silently 0 (bad-input table).
  for (const char* tiny : {"1e-99999999999999999999", "-0.5e-999999999999999", "1e-10000000000",
                           "1e-99999999999999999999/3"})
    check_invalid([&] { (void)parse<T>(tiny, "--eta"); }, {"--eta", "out of range", "too small"});
  // Zero is zero whatever its exponent.
  for (const char* zero : {"0e99999999999999999999", "0.000e+99999999999999999999", "-0e-99999999999"})
    CHECK(parse<T>(zero) == 0);
  // Leading zeros of the exponent do not count.
  CHECK(parse<T>("1e00000000000000000000000001") == 10);
  CHECK(parse<T>("25e-000000000000000000000000000001") == T(5) / 2);
}

TEST_CASE("parse refuses non-zero numbers that underflow double instead of returning 0") {
  // Regression: "--eta 1e-400" was silently eta = 0 and "--eigenvalues 1e-400" failed with
  // "must be positive, got 0"; "1e-320" became a subnormal double with 10 significant bits.
  for (const char* tiny : {"1e-400", "-1e-400", "1e-320", "2e-308", "1e-200/1e200", "1/1e308",
                           "4.9e-324"})
    check_invalid([&] { (void)parse<double>(tiny, "--eta"); }, {"--eta", "out of range", "too small"});
  CHECK(parse<double>("2.3e-308") == 2.3e-308);  // the smallest normal double is 2.2250738585e-308
  CHECK(parse<double>("1e-300") == 1e-300);
  CHECK(parse<double>("0/5") == 0);
  CHECK(parse<double>("-0.0") == 0);
  // The multiprecision types' range reaches far below: the same text is a valid number there.
  CHECK(parse<float50>("1e-400") > 0);
  CHECK(parse<mpfr_float>("1e-400") > 0);
  CHECK(parse<mpfr_float>("1e-200/1e200") > 0);
}

TEST_CASE("set_digits validates its argument") {
  check_invalid([] { set_digits(0); }, {"digits"});
  check_invalid([] { set_digits(-5); }, {"digits"});
}

TEST_CASE_TEMPLATE("is_finite in every type", T, MOMENTUM_SCALARS) {
  CHECK(is_finite(T(1)));
  CHECK_FALSE(is_finite(std::numeric_limits<T>::infinity()));
  CHECK_FALSE(is_finite(std::numeric_limits<T>::quiet_NaN()));
}
