#pragma once
/// \file detail/extremes_rounding.hpp
/// The rounding helpers of the certificates in extremes.hpp: gamma_m, outward rounding, and the
/// Gershgorin bounds' type. Part of extremes.hpp's implementation (see its error model).

#include <momentum/scalar.hpp>

#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace momentum::detail {

/// Spectra 1.0 needs constexpr numeric limits: the iterative path serves double and long double;
/// other scalars take the dense path.
template <class Scalar>
constexpr bool spectra_scalar =
    std::is_same_v<Scalar, double> || std::is_same_v<Scalar, long double>;

/// gamma_m = m eps / (1 - m eps), the relative error bound of m roundings (Higham, Lemma 3.1),
/// with eps = 2u for slack.
template <class Scalar>
Scalar gamma_m(Eigen::Index m) {
  const Scalar me = Scalar(m) * epsilon<Scalar>();
  return me / (1 - me);
}

/// Outward rounding of a value that carries at most a few roundings: 2 eps relative, plus the
/// smallest normal number against underflow.
template <class Scalar>
Scalar round_up(const Scalar& x) {
  using std::abs;
  return Scalar(x + 2 * epsilon<Scalar>() * abs(x) + (std::numeric_limits<Scalar>::min)());
}
template <class Scalar>
Scalar round_down(const Scalar& x) {
  using std::abs;
  return Scalar(x - 2 * epsilon<Scalar>() * abs(x) - (std::numeric_limits<Scalar>::min)());
}

template <class Scalar>
Scalar max_of(const Scalar& a, const Scalar& b) {
  return a < b ? b : a;
}
template <class Scalar>
Scalar min_of(const Scalar& a, const Scalar& b) {
  return b < a ? b : a;
}

[[noreturn]] inline void throw_not_positive_definite(const std::string& why) {
  throw std::invalid_argument("extreme_eigenvalues: Q must be positive definite, but " + why);
}

/// Rigorous Gershgorin bounds of the spectrum of a symmetric matrix, rounded outward.
template <class Scalar>
struct Gershgorin {
  Scalar lo, hi;
};

}  // namespace momentum::detail
