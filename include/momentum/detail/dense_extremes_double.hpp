#pragma once
/// \file detail/dense_extremes_double.hpp
/// The dense extremes path in double (src/extremes_dense_double.cpp, compiled once in the
/// library): the smallest end as on every iterative path (shift-invert Lanczos around 0, then
/// certify_lower), and a largest end that cannot decide the rate proven so by one Cholesky
/// factorization of tau I - Q in single precision (half the time of one in double; BLAS-3,
/// LAPACK's spotrf when Eigen runs on LAPACKE), tau as large as the rate allows. Only when
/// the largest end can decide the rate is it computed by Lanczos (largest_by_lanczos).
/// Part of extremes.hpp's implementation, included by it after its declarations.

#include <momentum/eigen.hpp>

namespace momentum::detail {

/// extreme_eigenvalues for a dense, exactly symmetric Q in double with n above the dense
/// threshold (see the file comment).
ExtremeEigenvalues<double> dense_extremes_double(const Eigen::Ref<const Matrix<double>>& Q,
                                                 const ExtremesOptions& o,
                                                 const LargestNeeded<double>& largest_needed);

}  // namespace momentum::detail
