#pragma once
/// \file eigen.hpp
/// General eigen-solvers for any square matrix in any scalar type (Eigen's EigenSolver and
/// SelfAdjointEigenSolver): the cross-check for the closed forms, and the decomposition of Q.
/// The solvers are compiled once per supported scalar in src/ (see the extern declarations
/// below): instantiating them takes over ten seconds per type.

#include <momentum/scalar.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <complex>
#include <vector>

namespace momentum {

/// Eigenvalues of a general real square matrix, as (re, im) pairs, sorted by decreasing modulus.
template <class Scalar>
struct GeneralSpectrum {
  std::vector<Scalar> re, im, modulus;
  Scalar rho;  ///< spectral radius: the largest modulus
};

/// All eigenvalues and the spectral radius of M, by the real Schur form (EigenSolver).
/// \throws std::invalid_argument if M is not square or has a non-finite entry;
///         std::runtime_error if the QR iteration does not converge.
template <class Scalar>
GeneralSpectrum<Scalar> general_spectrum(const Matrix<Scalar>& M) {
  using std::sqrt;
  if (M.rows() != M.cols() || M.rows() == 0)
    throw std::invalid_argument("general_spectrum: M must be square and non-empty");
  for (Eigen::Index j = 0; j < M.cols(); ++j)
    for (Eigen::Index i = 0; i < M.rows(); ++i)
      if (!is_finite(M(i, j)))
        throw std::invalid_argument("general_spectrum: M has a non-finite entry");
  Eigen::EigenSolver<Matrix<Scalar>> solver(M, /*computeEigenvectors=*/false);
  if (solver.info() != Eigen::Success)
    throw std::runtime_error("general_spectrum: the QR iteration did not converge");
  const Eigen::Index n = M.rows();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  GeneralSpectrum<Scalar> out;
  std::vector<Scalar> re(order.size()), im(order.size()), mod(order.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    re[k] = solver.eigenvalues()(i).real();
    im[k] = solver.eigenvalues()(i).imag();
    mod[k] = sqrt(re[k] * re[k] + im[k] * im[k]);
    order[k] = i;
  }
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return mod[static_cast<std::size_t>(a)] > mod[static_cast<std::size_t>(b)];
  });
  for (Eigen::Index i : order) {
    const std::size_t k = static_cast<std::size_t>(i);
    out.re.push_back(re[k]);
    out.im.push_back(im[k]);
    out.modulus.push_back(mod[k]);
  }
  out.rho = out.modulus.front();
  return out;
}

/// Spectral radius of any square matrix (general solver; see general_spectrum).
template <class Scalar>
Scalar general_spectral_radius(const Matrix<Scalar>& M) {
  return general_spectrum(M).rho;
}

}  // namespace momentum

// Compiled once in src/eigen_<scalar>.cpp.
#define MOMENTUM_EIGEN_SOLVERS(EXTERN, S)                                   \
  EXTERN template class Eigen::EigenSolver<momentum::Matrix<S>>;            \
  EXTERN template class Eigen::SelfAdjointEigenSolver<momentum::Matrix<S>>;
#ifndef MOMENTUM_INSTANTIATING
MOMENTUM_EIGEN_SOLVERS(extern, double)
MOMENTUM_EIGEN_SOLVERS(extern, long double)
MOMENTUM_EIGEN_SOLVERS(extern, momentum::float50)
MOMENTUM_EIGEN_SOLVERS(extern, momentum::mpfr_float)
#endif
