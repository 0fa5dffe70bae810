#pragma once
/// \file decimal_digits.hpp
/// Significant digits of a decimal as the tool prints it, for the tests that check every printed
/// digit (tests/cli/test_cli_digits.cpp, test_cli_bad_inputs.cpp and
/// tests/property/test_property_digits.cpp).

#include <string>

namespace momentum::test {

/// Significant digits of a printed decimal ("0.99998" has 5, "1.5e-3" has 2, "1" has 1).
inline int significant_digits(const std::string& s) {
  int n = 0;
  bool leading = true;
  for (const char c : s) {
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++n;
  }
  return n == 0 ? 1 : n;
}

}  // namespace momentum::test
