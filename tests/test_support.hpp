#pragma once
// Shared test helpers: the scalar types every generic test runs over, type-scaled tolerances,
// and seeded random inputs.
#include <doctest/doctest.h>
#include <momentum/scalar.hpp>

#include <random>
#include <sstream>
#include <string>

namespace momentum::test {

/// double, long double, Boost's 50-digit binary float, and MPFR at run-time precision (50
/// digits, set in doctest_main.cpp).
#define MOMENTUM_SCALARS double, long double, momentum::float50, momentum::mpfr_float

/// k epsilons of Scalar.
template <class Scalar>
Scalar ulps(int k) {
  return Scalar(k) * epsilon<Scalar>();
}

/// A value given as a long decimal string (computed at higher precision than any type here).
template <class Scalar>
Scalar ref(const char* decimal) {
  return parse<Scalar>(decimal, "reference");
}

/// Fixed-seed generator; print the seed on failure with INFO.
inline std::mt19937_64& rng(std::uint64_t seed = 20261124) {
  static std::mt19937_64 g(seed);
  return g;
}

template <class Scalar>
Scalar uniform(std::mt19937_64& g, double lo, double hi) {
  std::uniform_real_distribution<double> d(lo, hi);
  return Scalar(d(g));  // exact: a double converts exactly into every type here
}

template <class Scalar>
std::string str(const Scalar& x, int digits = 20) {
  return to_string(x, digits);
}

/// Checks that `fn` throws std::invalid_argument whose message contains every fragment.
template <class Fn>
void check_invalid(Fn&& fn, std::initializer_list<const char*> fragments) {
  bool thrown = false;
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    thrown = true;
    const std::string msg = e.what();
    for (const char* f : fragments) {
      INFO("message: " << msg << " | expected fragment: " << f);
      CHECK(msg.find(f) != std::string::npos);
    }
  }
  CHECK_MESSAGE(thrown, "expected std::invalid_argument");
}

}  // namespace momentum::test
