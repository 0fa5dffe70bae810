#pragma once
/// \file detail/dense_operator.hpp
/// The dense symmetric Q as an operator of extremes.hpp: products, |u|^T |Q| |u|, Gershgorin's
/// bounds, and shifted Cholesky factorizations with their rounding margin. Part of extremes.hpp's
/// implementation.

#include <momentum/detail/cholesky_certificate.hpp>
#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/eigen.hpp>

#include <Eigen/Cholesky>

#include <memory>

namespace momentum::detail {

/// A dense symmetric Q (exactly symmetric: only its lower triangle is read by the products and
/// factorizations, the whole of it by the bounds).
template <class Scalar>
class DenseOperator {
 public:
  using MatrixRef = Eigen::Ref<const Matrix<Scalar>>;
  explicit DenseOperator(const MatrixRef& Q) : Q_(Q) {}

  Eigen::Index size() const { return Q_.rows(); }
  Eigen::Index terms_per_row() const { return Q_.rows(); }
  const MatrixRef& matrix() const { return Q_; }
  Vector<Scalar> diagonal() const { return Q_.diagonal(); }
  Scalar max_abs() const { return Q_.cwiseAbs().maxCoeff(); }

  void multiply(const Scalar* x, Scalar* y) const {
    const Eigen::Index n = size();
    Eigen::Map<const Vector<Scalar>> xv(x, n);
    Eigen::Map<Vector<Scalar>> yv(y, n);
    if constexpr (spectra_scalar<Scalar>) {
      yv.noalias() = Q_.template selfadjointView<Eigen::Lower>() * xv;
    } else {
      // Plain loops for multiprecision scalars: Eigen's product kernels cost much compile time
      // and buy nothing at the sizes the dense path sees.
      yv.setZero();
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i) yv(i) += Q_(i, j) * xv(j);
    }
  }

  /// |u|^T |Q| |u| as computed.
  Scalar abs_form(const Vector<Scalar>& u) const {
    const Vector<Scalar> au = u.cwiseAbs();
    Scalar a(0);
    for (Eigen::Index j = 0; j < size(); ++j) a += au(j) * Q_.col(j).cwiseAbs().dot(au);
    return a;
  }

  Gershgorin<Scalar> gershgorin() const {
    using std::abs;
    const Eigen::Index n = size();
    Gershgorin<Scalar> g{Scalar(0), Scalar(0)};
    for (Eigen::Index j = 0; j < n; ++j) {
      const Scalar d = Q_(j, j);
      const Scalar col = Q_.col(j).cwiseAbs().sum();
      // The column sum carries a relative error gamma_n; subtracting |d| rounds once more.
      const Scalar off = round_up(Scalar(col - abs(d) + gamma_m<Scalar>(n + 2) * col));
      const Scalar hi = round_up(Scalar(d + off)), lo = round_down(Scalar(d - off));
      if (j == 0 || hi > g.hi) g.hi = hi;
      if (j == 0 || lo < g.lo) g.lo = lo;
    }
    return g;
  }

  /// Factorizes A = sign (Q - sigma I) in place; keeps the factor for solve().
  FactorResult<Scalar> factor(int sign, const Scalar& sigma) {
    using std::abs;
    llt_.reset();
    const Eigen::Index n = size();
    work_.resize(n, n);
    if (sign > 0)
      work_.template triangularView<Eigen::Lower>() = Q_;
    else
      work_.template triangularView<Eigen::Lower>() = -Q_;
    Scalar diag_max(0);
    for (Eigen::Index i = 0; i < n; ++i) {
      work_(i, i) = sign > 0 ? Scalar(work_(i, i) - sigma) : Scalar(work_(i, i) + sigma);
      diag_max = max_of(diag_max, Scalar(abs(work_(i, i))));
    }
    if constexpr (spectra_scalar<Scalar>) {
      llt_ = std::make_unique<Eigen::LLT<Eigen::Ref<Matrix<Scalar>>, Eigen::Lower>>(work_);
      if (llt_->info() != Eigen::Success) {
        llt_.reset();
        return {false, Scalar(0)};
      }
    } else if (!unblocked_cholesky(work_)) {
      return {false, Scalar(0)};
    }
    const Scalar m = cholesky_margin<Scalar>(
        n, n * (n + 1) / 2, n, [this, n](Eigen::Index j, auto&& f) {
          for (Eigen::Index i = j; i < n; ++i) f(i, work_(i, j));
        });
    return {true, round_up(Scalar(m + epsilon<Scalar>() * diag_max))};
  }

  /// y = A^{-1} x with the last successful factor (double and long double only: the iterative
  /// path).
  void solve(const Scalar* x, Scalar* y) const {
    const Eigen::Index n = size();
    Eigen::Map<const Vector<Scalar>> xv(x, n);
    Eigen::Map<Vector<Scalar>> yv(y, n);
    yv = xv;
    llt_->solveInPlace(yv);
  }

 private:
  MatrixRef Q_;
  Matrix<Scalar> work_;
  std::unique_ptr<Eigen::LLT<Eigen::Ref<Matrix<Scalar>>, Eigen::Lower>> llt_;
};

}  // namespace momentum::detail
