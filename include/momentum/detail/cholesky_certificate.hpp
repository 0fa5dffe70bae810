#pragma once
/// \file detail/cholesky_certificate.hpp
/// Cholesky factorizations as certificates (extremes.hpp's error model, far side): the rounding
/// margin m of a computed factor, and the textbook unblocked factorization for the scalars that
/// Eigen's blocked LLT does not serve. Part of extremes.hpp's implementation.

#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/eigen.hpp>

namespace momentum::detail {

/// Result of one shifted Cholesky factorization: success, and the rounding margin m with
/// lambda_min(A) > -m (see the file's error model).
template <class Scalar>
struct FactorResult {
  bool ok = false;
  Scalar margin = Scalar(0);
};

/// min(||L||_F^2, max row sum of |L||L^T|) for a computed lower-triangular factor given column
/// by column (`for_column(j, f)` calls f(row, value) for column j), rounded up: the sums of at
/// most `nonzeros` non-negative products carry a relative error gamma_{nonzeros+2}. The
/// factor's entries may come from a lower precision (converted exactly to Scalar).
template <class Scalar, class ForEachColumn>
Scalar cholesky_abs_bound(Eigen::Index n, Eigen::Index nonzeros, ForEachColumn&& for_column) {
  using std::abs;
  Vector<Scalar> w(n), z = Vector<Scalar>::Zero(n);
  Scalar fro(0);
  for (Eigen::Index j = 0; j < n; ++j) {
    Scalar wj(0);
    for_column(j, [&](Eigen::Index, const Scalar& v) {
      fro += v * v;
      wj += abs(v);
    });
    w(j) = wj;
  }
  for (Eigen::Index j = 0; j < n; ++j)
    for_column(j, [&](Eigen::Index i, const Scalar& v) { z(i) += abs(v) * w(j); });
  return Scalar(min_of(fro, Scalar(z.maxCoeff())) * (1 + gamma_m<Scalar>(nonzeros + 2)));
}

/// gamma_{k+1} min(||L||_F^2, max row sum of |L||L^T|) for a computed lower-triangular factor
/// given column by column (see cholesky_abs_bound); k is the largest number of entries in a row
/// of L (the longest inner product).
template <class Scalar, class ForEachColumn>
Scalar cholesky_margin(Eigen::Index n, Eigen::Index nonzeros, Eigen::Index k,
                       ForEachColumn&& for_column) {
  return Scalar(gamma_m<Scalar>(k + 1) * cholesky_abs_bound<Scalar>(n, nonzeros, for_column));
}

/// Left-looking Cholesky of the lower triangle of A in place, the textbook algorithm of the
/// error model: l_jj = sqrt(a_jj - sum_k l_jk^2), l_ij = (a_ij - sum_k l_ik l_jk) / l_jj.
/// Returns false at the first pivot that is not positive.
template <class Scalar>
bool unblocked_cholesky(Matrix<Scalar>& A) {
  using std::sqrt;
  const Eigen::Index n = A.rows();
  for (Eigen::Index j = 0; j < n; ++j) {
    Scalar d = A(j, j);
    for (Eigen::Index k = 0; k < j; ++k) d -= A(j, k) * A(j, k);
    if (!(d > 0)) return false;
    const Scalar ljj = sqrt(d);
    A(j, j) = ljj;
    for (Eigen::Index i = j + 1; i < n; ++i) {
      Scalar a = A(i, j);
      for (Eigen::Index k = 0; k < j; ++k) a -= A(i, k) * A(j, k);
      A(i, j) = a / ljj;
    }
  }
  return true;
}

}  // namespace momentum::detail
