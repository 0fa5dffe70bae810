// The one doctest main shared by every test executable. Run-time-precision MPFR numbers
// (momentum::mpfr_float) default to 50 decimal digits in the tests.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <momentum/scalar.hpp>

int main(int argc, char** argv) {
  momentum::set_digits(50);
  doctest::Context context(argc, argv);
  return context.run();
}
