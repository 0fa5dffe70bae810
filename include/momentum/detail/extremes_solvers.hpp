#pragma once
/// \file detail/extremes_solvers.hpp
/// The solvers behind extreme_eigenvalues (extremes.hpp): the dense symmetric solver for small n,
/// Lanczos and shift-invert Lanczos with their certificates, and the dense input check. Part of
/// extremes.hpp's implementation, included by it after its declarations.

#include <momentum/detail/certify.hpp>
#include <momentum/detail/dense_extremes_double.hpp>
#include <momentum/detail/dense_operator.hpp>
#include <momentum/detail/lanczos.hpp>
#include <momentum/detail/rayleigh.hpp>
#include <momentum/detail/sparse_operator.hpp>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace momentum::detail {

/// Both extremes from the dense symmetric solver (small n, or scalars Spectra does not take).
template <class Scalar>
ExtremeEigenvalues<Scalar> dense_solver_extremes(DenseOperator<Scalar>& op,
                                                 const ExtremesOptions& o) {
  const Eigen::Index n = op.size();
  const Matrix<Scalar> Qm = op.matrix();
  Vector<Scalar> values;
  Matrix<Scalar> vectors;  // compiled once per scalar in src/ (eigen.hpp)
  if (!detail::symmetric_eigen(Qm, values, &vectors))
    throw std::runtime_error("extreme_eigenvalues: the symmetric eigen-solver did not converge");
  ExtremeEigenvalues<Scalar> out;
  out.n = n;
  const Gershgorin<Scalar> g = op.gershgorin();
  const Scalar zero_tol = 4 * Scalar(n) * epsilon<Scalar>() * op.max_abs();

  ExtremeEigenpair<Scalar>& lo = out.smallest;
  lo.vector = vectors.col(0);
  const RayleighBounds<Scalar> rq_lo = rayleigh(op, lo.vector);
  require_positive_ritz(rq_lo, zero_tol);
  lo.value = rq_lo.value;
  lo.residual = rq_lo.residual;
  lo.enclosure = {g.lo, rq_lo.hi, false};

  ExtremeEigenpair<Scalar>& hi = out.largest;
  hi.vector = vectors.col(n - 1);
  const RayleighBounds<Scalar> rq_hi = rayleigh(op, hi.vector);
  hi.value = rq_hi.value;
  hi.residual = rq_hi.residual;
  hi.enclosure = {rq_hi.lo, g.hi, false};

  if (o.certify) {
    certify_lower(op, rq_lo, margin_guess(op, rq_lo.value, n), lo, o);
    certify_upper(op, rq_hi, margin_guess(op, rq_hi.value, n), hi, o);
  }
  return out;
}

/// The largest end left as its proven bounds [max_i q_ii, g.hi]: q_ii is the Rayleigh quotient
/// of e_i (exact: no arithmetic), so lambda_max >= q_ii.
template <class Scalar, class Op>
void largest_bounds(Op& op, const Gershgorin<Scalar>& g, ExtremeEigenpair<Scalar>& e) {
  const Vector<Scalar> d = op.diagonal();
  Eigen::Index i = 0;
  e.value = d.maxCoeff(&i);
  e.vector = Vector<Scalar>::Unit(d.size(), i);
  Vector<Scalar> qe(d.size());
  op.multiply(e.vector.data(), qe.data());
  e.operations = 1;
  qe(i) -= e.value;
  e.residual = qe.norm();
  e.enclosure = {e.value, g.hi, false};
  e.solver = ExtremeSolver::bounds;
  e.converged = false;
}

/// The smallest end by shift-invert Lanczos around 0 (double and long double). The factorization
/// of Q itself is the positive-definiteness test (lambda_min > -m0) and the operator of the
/// Lanczos run; the enclosure's far side is certified (certify_lower) when o.certify.
template <class Scalar, class Op>
void smallest_by_shift_invert(Op& op, const Gershgorin<Scalar>& g, const ExtremesOptions& o,
                              ExtremeEigenpair<Scalar>& e) {
  const Eigen::Index n = op.size();
  const Scalar zero_tol = 4 * Scalar(n) * epsilon<Scalar>() * op.max_abs();
  const std::function<void(const Scalar*, Scalar*)> apply_inverse =
      [&op](const Scalar* x, Scalar* y) { op.solve(x, y); };
  e.solver = ExtremeSolver::shift_invert;
  const FactorResult<Scalar> f0 = op.factor(+1, Scalar(0));
  e.factorizations = 1;
  if (!f0.ok)
    throw_not_positive_definite(
        "its Cholesky factorization breaks down (Q is indefinite, or singular to working "
        "precision)");
  LanczosRun<Scalar> run = spectra_largest<Scalar>(n, apply_inverse, o, o.max_restarts, 2);
  e.operations = run.operations;
  if (!run.converged)
    throw std::runtime_error(
        "extreme_eigenvalues: shift-invert Lanczos for the smallest eigenvalue did not "
        "converge in " + std::to_string(run.operations) + " solves");
  e.vector = std::move(run.vector);
  const RayleighBounds<Scalar> rq = rayleigh(op, e.vector);
  require_positive_ritz(rq, zero_tol);
  e.value = rq.value;
  e.residual = rq.residual;
  e.enclosure = {max_of(g.lo, round_down(Scalar(-f0.margin))), rq.hi, false};
  if (o.certify) certify_lower(op, rq, f0.margin, e, o);
}

/// The largest end by Lanczos (dense: first a budget of 20 restarts) or shift-invert Lanczos
/// around an upper bound (double and long double), certified (certify_upper) when o.certify.
template <class Scalar, class Op>
void largest_by_lanczos(Op& op, bool sparse, const Gershgorin<Scalar>& g,
                        const ExtremesOptions& o, ExtremeEigenpair<Scalar>& e) {
  using std::abs;
  const Eigen::Index n = op.size();
  const Scalar eps = epsilon<Scalar>();
  const std::function<void(const Scalar*, Scalar*)> apply_q = [&op](const Scalar* x, Scalar* y) {
    op.multiply(x, y);
  };
  const std::function<void(const Scalar*, Scalar*)> apply_inverse =
      [&op](const Scalar* x, Scalar* y) { op.solve(x, y); };
  e.enclosure = {Scalar(0), g.hi, false};
  const LargestBy by =
      o.largest == LargestBy::automatic ? (sparse ? LargestBy::shift_invert : LargestBy::lanczos)
                                        : o.largest;
  Scalar margin_hint(0);
  bool have = false;
  if (by == LargestBy::lanczos) {
    e.solver = ExtremeSolver::lanczos;
    // A budget of 20 restarts (about 20 basis sizes of products, the cost of a few dense
    // factorizations) before shift-invert takes over: plain Lanczos crawls on a clustered top.
    LanczosRun<Scalar> run =
        spectra_largest<Scalar>(n, apply_q, o, std::min<Eigen::Index>(o.max_restarts, 20), 1);
    e.operations += run.operations;
    if (run.converged) {
      e.vector = std::move(run.vector);
      have = true;
    }
  }
  if (!have) {
    // Shift-invert around sigma >= lambda_max: a rough Lanczos estimate plus twice its
    // residual, capped by Gershgorin; the successful factorization of sigma I - Q is itself
    // a certificate lambda_max < sigma + m.
    e.solver = ExtremeSolver::shift_invert;
    const auto [theta0, r0, steps] =
        lanczos_estimate<Scalar>(op, std::min<Eigen::Index>(n, 2 * std::max<Eigen::Index>(o.krylov_dimension, 3)));
    e.operations += steps;
    Scalar gap = max_of(Scalar(2 * r0), Scalar(16 * eps * abs(theta0)));
    Scalar sigma = min_of(Scalar(theta0 + gap), g.hi);
    FactorResult<Scalar> f;
    for (int attempt = 0; attempt < o.certify_attempts + 8; ++attempt) {
      f = op.factor(-1, sigma);
      ++e.factorizations;
      if (f.ok) break;
      gap = max_of(Scalar(4 * gap), Scalar(4 * (sigma - theta0)));
      sigma = theta0 + gap;
    }
    if (!f.ok)
      throw std::runtime_error(
          "extreme_eigenvalues: no shift above the largest eigenvalue could be factorized");
    e.enclosure.hi = min_of(e.enclosure.hi, round_up(Scalar(sigma + f.margin)));
    e.enclosure.certified = true;
    margin_hint = f.margin;
    LanczosRun<Scalar> run = spectra_largest<Scalar>(n, apply_inverse, o, o.max_restarts, 2);
    e.operations += run.operations;
    if (!run.converged)
      throw std::runtime_error(
          "extreme_eigenvalues: shift-invert Lanczos for the largest eigenvalue did not "
          "converge");
    e.vector = std::move(run.vector);
  }
  const RayleighBounds<Scalar> rq = rayleigh(op, e.vector);
  e.value = rq.value;
  e.residual = rq.residual;
  e.enclosure.lo = rq.lo;
  if (o.certify) {
    if (!e.enclosure.certified)
      margin_hint = margin_guess(op, rq.value, sparse ? op.terms_per_row() : n);
    certify_upper(op, rq, margin_hint, e, o);
  }
}

/// Both extremes by Lanczos / shift-invert Lanczos (double and long double).
template <class Scalar, class Op>
ExtremeEigenvalues<Scalar> iterative_extremes(Op& op, bool sparse, const ExtremesOptions& o,
                                              const LargestNeeded<Scalar>& largest_needed) {
  const Gershgorin<Scalar> g = op.gershgorin();
  ExtremeEigenvalues<Scalar> out;
  out.n = op.size();
  smallest_by_shift_invert(op, g, o, out.smallest);
  // Largest, unless the caller says it cannot matter (its bounds cost no factorization).
  if (largest_needed) {
    largest_bounds(op, g, out.largest);
    if (!largest_needed(out.smallest.enclosure, out.largest.enclosure)) return out;
    out.largest = ExtremeEigenpair<Scalar>{};
  }
  largest_by_lanczos(op, sparse, g, o, out.largest);
  return out;
}

/// Checks a dense Q (square, finite, symmetric to 16 n eps max|Q|); returns the largest
/// asymmetry |Q(i,j) - Q(j,i)| (0 when exactly symmetric).
template <class Scalar>
Scalar check_dense_input(const Eigen::Ref<const Matrix<Scalar>>& Q) {
  using std::abs;
  const Eigen::Index n = Q.rows();
  if (n == 0 || Q.cols() != n)
    throw std::invalid_argument("extreme_eigenvalues: Q must be square and non-empty, got " +
                                std::to_string(Q.rows()) + "x" + std::to_string(Q.cols()));
  Scalar scale(0);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!is_finite(Q(i, j)))
        throw std::invalid_argument("extreme_eigenvalues: Q must be finite, entry (" +
                                    std::to_string(i + 1) + "," + std::to_string(j + 1) +
                                    ") is " + to_string(Q(i, j), 17));
      scale = max_of(scale, Scalar(abs(Q(i, j))));
    }
  // Tiles of 64 x 64, so that the transposed reads stay in cache.
  const Eigen::Index B = 64;
  Scalar worst(0);
  Eigen::Index wi = 0, wj = 0;
  for (Eigen::Index jb = 0; jb < n; jb += B)
    for (Eigen::Index ib = jb; ib < n; ib += B)
      for (Eigen::Index j = jb; j < std::min(jb + B, n); ++j)
        for (Eigen::Index i = std::max(ib, j + 1); i < std::min(ib + B, n); ++i) {
          const Scalar d = abs(Q(i, j) - Q(j, i));
          if (d > worst) {
            worst = d;
            wi = i;
            wj = j;
          }
        }
  const Scalar tol = 16 * Scalar(n) * epsilon<Scalar>() * scale;
  if (worst > tol)
    throw std::invalid_argument(
        "extreme_eigenvalues: Q must be symmetric, but Q(" + std::to_string(wi + 1) + "," +
        std::to_string(wj + 1) + ") = " + to_string(Q(wi, wj), 17) + " differs from Q(" +
        std::to_string(wj + 1) + "," + std::to_string(wi + 1) + ") = " + to_string(Q(wj, wi), 17));
  return worst;
}

template <class Scalar>
ExtremeEigenvalues<Scalar> dense_extremes(const Eigen::Ref<const Matrix<Scalar>>& Q,
                                          const ExtremesOptions& o,
                                          const LargestNeeded<Scalar>& largest_needed) {
  if constexpr (std::is_same_v<Scalar, double>) {
    // Compiled once in the library (src/extremes_dense_double.cpp).
    if (Q.rows() > std::max<Eigen::Index>(o.dense_threshold, 3))
      return dense_extremes_double(Q, o, largest_needed);
  }
  DenseOperator<Scalar> op(Q);
  if constexpr (spectra_scalar<Scalar>) {
    if (Q.rows() > std::max<Eigen::Index>(o.dense_threshold, 3))
      return iterative_extremes<Scalar>(op, false, o, largest_needed);
  }
  return dense_solver_extremes(op, o);
}

}  // namespace momentum::detail
