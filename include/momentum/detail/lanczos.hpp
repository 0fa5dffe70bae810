#pragma once
/// \file detail/lanczos.hpp
/// The Lanczos runs of extremes.hpp: Spectra's implicitly restarted Lanczos on a function
/// operator, and a rough three-term estimate for placing shifts. Part of extremes.hpp's
/// implementation, included by it after ExtremesOptions.

#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/eigen.hpp>

#include <Spectra/SymEigsSolver.h>

#include <functional>
#include <random>
#include <tuple>
#include <vector>

namespace momentum::detail {

/// Default relative tolerance of the Lanczos runs: sqrt(eps)/100 (1.5e-10 in double). The
/// Ritz value's error is about the square of the residual over the gap, far below this.
template <class Scalar>
Scalar default_lanczos_tolerance() {
  using std::sqrt;
  return Scalar(sqrt(epsilon<Scalar>()) / 100);
}

/// Spectra operator from a function y = Op x.
template <class S>
class FunctionOp {
 public:
  using Scalar = S;
  FunctionOp(Eigen::Index n, std::function<void(const S*, S*)> f) : n_(n), f_(std::move(f)) {}
  Eigen::Index rows() const { return n_; }
  Eigen::Index cols() const { return n_; }
  void perform_op(const S* x, S* y) const { f_(x, y); }

 private:
  Eigen::Index n_;
  std::function<void(const S*, S*)> f_;
};

template <class Scalar>
struct LanczosRun {
  Vector<Scalar> vector;
  Eigen::Index operations = 0;
  bool converged = false;
};

/// The eigenvector of the largest eigenvalue of a symmetric operator by Spectra's implicitly
/// restarted Lanczos, with `attempts` runs, each with twice the basis and restarts of the last.
template <class Scalar>
LanczosRun<Scalar> spectra_largest(Eigen::Index n,
                                   const std::function<void(const Scalar*, Scalar*)>& apply,
                                   const ExtremesOptions& o, Eigen::Index max_restarts,
                                   int attempts) {
  LanczosRun<Scalar> run;
  FunctionOp<Scalar> op(n, apply);
  const Scalar tol = o.tolerance > 0 ? Scalar(o.tolerance) : default_lanczos_tolerance<Scalar>();
  Eigen::Index ncv = std::max<Eigen::Index>(o.krylov_dimension, 3);
  Eigen::Index maxit = std::max<Eigen::Index>(max_restarts, 1);
  for (int attempt = 0; attempt < attempts; ++attempt, ncv *= 2, maxit *= 2) {
    Spectra::SymEigsSolver<FunctionOp<Scalar>> eigs(op, 1, std::min(ncv, n));
    eigs.init();
    eigs.compute(Spectra::SortRule::LargestAlge, maxit, tol, Spectra::SortRule::LargestAlge);
    run.operations += eigs.num_operations();
    if (eigs.info() == Spectra::CompInfo::Successful) {
      run.vector = eigs.eigenvectors().col(0);
      run.converged = true;
      return run;
    }
  }
  return run;
}

/// A rough estimate of the largest eigenvalue and the residual of its Ritz pair after `steps`
/// Lanczos steps (three-term recurrence, O(n) memory, no reorthogonalization: only a guess
/// for placing a shift, never used as a bound).
template <class Scalar, class Op>
std::tuple<Scalar, Scalar, Eigen::Index> lanczos_estimate(const Op& op, Eigen::Index steps) {
  using std::abs;
  const Eigen::Index n = op.size();
  std::mt19937_64 g(0x6d6f6d656e74ULL);
  std::uniform_real_distribution<double> unif(-1, 1);
  Vector<Scalar> v(n), v_prev = Vector<Scalar>::Zero(n), w(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = Scalar(unif(g));
  v.normalize();
  std::vector<Scalar> alpha, beta;
  Scalar b(0);
  for (Eigen::Index j = 0; j < steps; ++j) {
    op.multiply(v.data(), w.data());
    w -= b * v_prev;
    const Scalar a = w.dot(v);
    w -= a * v;
    alpha.push_back(a);
    b = w.norm();
    beta.push_back(b);
    if (!(b > epsilon<Scalar>() * abs(a))) break;  // invariant subspace: the Ritz value is exact
    v_prev = v;
    v = w / b;
  }
  const Eigen::Index m = static_cast<Eigen::Index>(alpha.size());
  Vector<Scalar> diag(m), sub(std::max<Eigen::Index>(m - 1, 0));
  for (Eigen::Index i = 0; i < m; ++i) diag(i) = alpha[static_cast<std::size_t>(i)];
  for (Eigen::Index i = 0; i + 1 < m; ++i) sub(i) = beta[static_cast<std::size_t>(i)];
  Eigen::SelfAdjointEigenSolver<Matrix<Scalar>> es;
  es.computeFromTridiagonal(diag, sub, Eigen::ComputeEigenvectors);
  const Scalar theta = es.eigenvalues()(m - 1);
  const Scalar r = beta.back() * abs(es.eigenvectors()(m - 1, m - 1));
  return {theta, r, m};
}

}  // namespace momentum::detail
