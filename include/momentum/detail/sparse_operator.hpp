#pragma once
/// \file detail/sparse_operator.hpp
/// The sparse symmetric Q as an operator of extremes.hpp: products, |u|^T |Q| |u|, Gershgorin's
/// bounds, and shifted sparse Cholesky factorizations (SimplicialLLT, AMD ordering) with their
/// rounding margin. Part of extremes.hpp's implementation.

#include <momentum/detail/cholesky_certificate.hpp>
#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/eigen.hpp>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include <algorithm>
#include <vector>

namespace momentum::detail {

/// A sparse symmetric Q (both triangles stored; exactly symmetric). Products use the whole
/// matrix, factorizations its lower triangle (SimplicialLLT, AMD ordering, the symbolic
/// analysis done once and reused for every shift).
template <class Scalar>
class SparseOperator {
 public:
  using Sparse = Eigen::SparseMatrix<Scalar>;
  explicit SparseOperator(Sparse Q) : Q_(std::move(Q)) {
    Q_.makeCompressed();
    lower_ = Q_.template triangularView<Eigen::Lower>();
    neg_lower_ = -lower_;
    for (Eigen::Index j = 0; j < Q_.outerSize(); ++j)
      terms_ = std::max<Eigen::Index>(terms_, Q_.outerIndexPtr()[j + 1] - Q_.outerIndexPtr()[j]);
  }

  Eigen::Index size() const { return Q_.rows(); }
  Eigen::Index terms_per_row() const { return std::max<Eigen::Index>(terms_, 1); }
  Vector<Scalar> diagonal() const { return Q_.diagonal(); }
  Scalar max_abs() const {
    Scalar m(0);
    for (Eigen::Index k = 0; k < Q_.nonZeros(); ++k) {
      using std::abs;
      m = max_of(m, Scalar(abs(Q_.valuePtr()[k])));
    }
    return m;
  }

  void multiply(const Scalar* x, Scalar* y) const {
    const Eigen::Index n = size();
    Eigen::Map<const Vector<Scalar>> xv(x, n);
    Eigen::Map<Vector<Scalar>> yv(y, n);
    yv.noalias() = Q_ * xv;
  }

  Scalar abs_form(const Vector<Scalar>& u) const {
    using std::abs;
    Scalar a(0);
    for (Eigen::Index j = 0; j < Q_.outerSize(); ++j) {
      Scalar col(0);
      for (typename Sparse::InnerIterator it(Q_, j); it; ++it) col += abs(it.value()) * abs(u(it.row()));
      a += abs(u(j)) * col;
    }
    return a;
  }

  Gershgorin<Scalar> gershgorin() const {
    using std::abs;
    Gershgorin<Scalar> g{Scalar(0), Scalar(0)};
    const Scalar gm = gamma_m<Scalar>(terms_per_row() + 2);
    for (Eigen::Index j = 0; j < Q_.outerSize(); ++j) {
      Scalar d(0), col(0);
      for (typename Sparse::InnerIterator it(Q_, j); it; ++it) {
        if (it.row() == j) d = it.value();
        col += abs(it.value());
      }
      const Scalar off = round_up(Scalar(col - abs(d) + gm * col));
      const Scalar hi = round_up(Scalar(d + off)), lo = round_down(Scalar(d - off));
      if (j == 0 || hi > g.hi) g.hi = hi;
      if (j == 0 || lo < g.lo) g.lo = lo;
    }
    return g;
  }

  FactorResult<Scalar> factor(int sign, const Scalar& sigma) {
    using std::abs;
    if (!analyzed_) {
      llt_.analyzePattern(lower_);
      analyzed_ = true;
    }
    // SimplicialLLT shifts only the diagonal: d_kk = scale a_kk + offset, one rounding.
    llt_.setShift(sign > 0 ? Scalar(-sigma) : sigma, Scalar(1));
    llt_.factorize(sign > 0 ? lower_ : neg_lower_);
    if (llt_.info() != Eigen::Success) return {false, Scalar(0)};
    Scalar diag_max = abs(sigma);  // covers structurally missing diagonal entries
    const Vector<Scalar> dq = Q_.diagonal();
    for (Eigen::Index i = 0; i < dq.size(); ++i)
      diag_max = max_of(diag_max, Scalar(abs(sign > 0 ? Scalar(dq(i) - sigma) : Scalar(sigma - dq(i)))));
    const Sparse& L = llt_.matrixL().nestedExpression();
    std::vector<Eigen::Index> row_count(static_cast<std::size_t>(L.rows()), 0);
    for (Eigen::Index k = 0; k < L.nonZeros(); ++k)
      ++row_count[static_cast<std::size_t>(L.innerIndexPtr()[k])];
    const Eigen::Index k_max = *std::max_element(row_count.begin(), row_count.end());
    const Scalar m = cholesky_margin<Scalar>(
        L.rows(), L.nonZeros(), k_max, [&L](Eigen::Index j, auto&& f) {
          for (typename Sparse::InnerIterator it(L, j); it; ++it) f(it.row(), it.value());
        });
    return {true, round_up(Scalar(m + epsilon<Scalar>() * diag_max))};
  }

  void solve(const Scalar* x, Scalar* y) const {
    const Eigen::Index n = size();
    Eigen::Map<const Vector<Scalar>> xv(x, n);
    Eigen::Map<Vector<Scalar>> yv(y, n);
    yv = llt_.solve(xv);
  }

 private:
  Sparse Q_, lower_, neg_lower_;
  Eigen::Index terms_ = 0;
  bool analyzed_ = false;
  Eigen::SimplicialLLT<Sparse, Eigen::Lower, Eigen::AMDOrdering<int>> llt_;
};

}  // namespace momentum::detail
