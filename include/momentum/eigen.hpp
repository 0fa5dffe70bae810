#pragma once
/// \file eigen.hpp
/// General eigen-solvers for any square matrix in any scalar type (Eigen's EigenSolver and
/// SelfAdjointEigenSolver): the cross-check for the closed forms, and the decomposition of Q.
/// The solvers are compiled once per supported scalar in src/ (see the extern declarations at
/// the end): instantiating them takes over ten seconds per type.

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

namespace detail {

/// Eigenvalues (ascending) and, if `vectors` is non-null, orthonormal eigenvectors (columns) of
/// a symmetric matrix, by Eigen's SelfAdjointEigenSolver. Returns false if it did not converge.
/// A non-inline function template, so that `extern template` below really keeps Eigen's solver
/// (whose compute() is a member template, which `extern template class` would not cover) out of
/// every translation unit but the library's.
template <class Scalar>
bool symmetric_eigen(const Matrix<Scalar>& A, Vector<Scalar>& values, Matrix<Scalar>* vectors) {
  Eigen::SelfAdjointEigenSolver<Matrix<Scalar>> solver(
      A, vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (solver.info() != Eigen::Success) return false;
  values = solver.eigenvalues();
  if (vectors) *vectors = solver.eigenvectors();
  return true;
}

/// Eigenvalues (re, im) of a general real square matrix by Eigen's EigenSolver (real Schur
/// form). Returns false if the QR iteration did not converge.
/// Eigen allows 40 iterations per row; the iteration matrix of a tuned heavy ball, whose
/// eigenvalues all share one modulus in pairs of Jordan blocks (+-rho, each double), exhausts
/// that for about 1 in 230 random rotations of a 2x2 Q, and converges with 10 times as many.
/// A failed run is therefore repeated with 10 and then 100 times the budget. Found by
/// tests/property/test_property_invariance.cpp.
template <class Scalar>
bool general_eigenvalues(const Matrix<Scalar>& A, Vector<Scalar>& re, Vector<Scalar>& im) {
  Eigen::EigenSolver<Matrix<Scalar>> solver(A, /*computeEigenvectors=*/false);
  for (Eigen::Index factor : {10, 100}) {
    if (solver.info() == Eigen::Success) break;
    solver.setMaxIterations(40 * factor * A.rows());
    solver.compute(A, /*computeEigenvectors=*/false);
  }
  if (solver.info() != Eigen::Success) return false;
  re = solver.eigenvalues().real();
  im = solver.eigenvalues().imag();
  return true;
}

}  // namespace detail

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
  Vector<Scalar> re, im;
  if (!detail::general_eigenvalues(M, re, im))
    throw std::runtime_error("general_spectrum: the QR iteration did not converge");
  const Eigen::Index n = M.rows();
  std::vector<Scalar> mod(static_cast<std::size_t>(n));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    mod[k] = sqrt(re(i) * re(i) + im(i) * im(i));
    order[k] = i;
  }
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return mod[static_cast<std::size_t>(a)] > mod[static_cast<std::size_t>(b)];
  });
  GeneralSpectrum<Scalar> out;
  for (Eigen::Index i : order) {
    out.re.push_back(re(i));
    out.im.push_back(im(i));
    out.modulus.push_back(mod[static_cast<std::size_t>(i)]);
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

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp).
#define MOMENTUM_EIGEN_INSTANCES(EXTERN, S)                                                  \
  EXTERN template bool momentum::detail::symmetric_eigen<S>(                                 \
      const momentum::Matrix<S>&, momentum::Vector<S>&, momentum::Matrix<S>*);               \
  EXTERN template bool momentum::detail::general_eigenvalues<S>(                             \
      const momentum::Matrix<S>&, momentum::Vector<S>&, momentum::Vector<S>&);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_EIGEN_INSTANCES)
