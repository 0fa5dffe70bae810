#pragma once
/// \file typed_eigenvalues.hpp
/// The eigenvalues of a double run as the user typed them (issue 18): each double eigenvalue
/// beside the long double parsed from the same text, so the rounding of the decimal inputs to
/// double can be measured (accuracy.hpp's wide twin).

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace momentum::cli {

/// Eigenvalues as typed: each double eigenvalue of a double run with the long double parsed
/// from the same text. An eigenvalue not listed (computed from a matrix, or a perturbed one)
/// is its own twin.
struct TypedEigenvalues {
  std::vector<std::pair<double, long double>> values;  ///< sorted by the double
  void add(double rounded, long double typed) {
    values.insert(std::lower_bound(values.begin(), values.end(), std::make_pair(rounded, typed)),
                  {rounded, typed});
  }
  long double operator()(double lambda) const {
    const auto it = std::lower_bound(values.begin(), values.end(),
                                     std::make_pair(lambda, -std::numeric_limits<long double>::infinity()));
    return it != values.end() && it->first == lambda ? it->second : static_cast<long double>(lambda);
  }
  bool empty() const { return values.empty(); }
};

}  // namespace momentum::cli
