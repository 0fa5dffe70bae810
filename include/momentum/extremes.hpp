#pragma once
/// \file extremes.hpp
/// Extreme eigenvalues of a large or sparse symmetric Q with proven enclosures, and the
/// worst-case rate of a method propagated from them to a proven interval (SPEC section 5:
/// the worst case lives at lambda_min and lambda_max, so no full eigen-decomposition and no
/// 2n x 2n matrix is needed).
///
/// Point estimates: the largest eigenvalue by Lanczos (Spectra's SymEigsSolver) or shift-invert
/// Lanczos around an upper bound; the smallest always by shift-invert Lanczos around 0 with a
/// Cholesky factorization of Q (plain smallest-algebraic Lanczos stalls on clustered spectra);
/// the dense symmetric solver for small n or for scalar types Spectra does not support. A rate
/// needs lambda_max only when it can decide it: certified_worst_case(method, Q, extremes)
/// leaves the largest end as its proven bounds [max_i q_ii, Gershgorin] otherwise (no
/// factorization at that end; LargestNeeded). A dense Q in double (n above the dense threshold,
/// certify on) whose Gershgorin bound is too loose for that gets one Cholesky factorization of
/// tau I - Q instead, in single precision, tau as large as the rate allows (its error model in
/// src/extremes_dense_double.cpp): when it succeeds, the bounds [max_i q_ii, tau + m] show that
/// lambda_max cannot decide the rate, and no Lanczos run is needed at that end.
///
/// Certificates. Every enclosure [lo, hi] is a proof for the exact eigenvalue of the given Q
/// (of its rounded symmetric part when Q was not exactly symmetric), rounding errors included:
/// - Near side (hi of lambda_min, lo of lambda_max): the Rayleigh quotient theta = u^T Q u /
///   u^T u of any vector satisfies lambda_min <= theta <= lambda_max. It is computed in Scalar
///   with the a-posteriori bound |fl(u^T Q u) - u^T Q u| <= gamma_{2k+2} |u|^T |Q| |u| (k the
///   most terms in a row of Q, gamma_m = m eps / (1 - m eps)), the term |u|^T |Q| |u| itself
///   computed and rounded up, and u^T u's relative error gamma_{n+1}.
/// - Far side (lo of lambda_min, hi of lambda_max): a Cholesky factorization A = L L^T of
///   A = Q - sigma I (or sigma I - Q) that runs to completion, all pivots positive. Error
///   model (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.3; it holds
///   for any order of the inner products, hence for Eigen's blocked dense LLT and the
///   up-looking SimplicialLLT): the computed L is the exact factor of A + dA with
///   |dA| <= gamma_{k+1} |L| |L^T|, k the most terms in one inner product (n dense, the
///   largest row count of L sparse). L L^T is positive definite (L has a positive diagonal),
///   so lambda_min(A) > -||dA||_2, and ||dA||_2 <= gamma_{k+1} || |L| |L^T| ||_2 <=
///   gamma_{k+1} min(||L||_F^2, max row sum of |L| |L^T|) (both computed from the factor and
///   rounded up). Forming A's diagonal q_ii - sigma rounds once: eps max |a_ii| more. Hence
///   lambda_min(Q) > sigma - m (or lambda_max(Q) < sigma + m) with m the sum of both terms:
///   by Sylvester's law of inertia, no eigenvalue of Q lies below sigma - m (above sigma + m).
///   The shift is sigma = theta -+ delta with delta = max(residual ||Q u - theta u||, half the
///   margin of a nearby factorization), quadrupled after each failed attempt.
/// - When no factorization certifies a side, that side is Gershgorin's bound (rigorous,
///   rounded outward) and `certified` is false.
/// Arithmetic is assumed correctly rounded (IEEE double and long double, MPFR, cpp_bin_float);
/// every derived bound is rounded outward by 2 epsilon relative.

#include <momentum/eigen.hpp>
#include <momentum/worst_case.hpp>

#include <Eigen/SparseCore>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace momentum {

/// Which algorithm produced an extreme eigenpair.
enum class ExtremeSolver {
  dense,         ///< SelfAdjointEigenSolver on the whole (dense) Q
  lanczos,       ///< implicitly restarted Lanczos on Q (products with Q)
  shift_invert,  ///< implicitly restarted Lanczos on (Q - sigma I)^{-1} (solves with a Cholesky factor)
  bounds         ///< not computed, because it could not decide the rate asked for (LargestNeeded):
                 ///< the proven bounds [max_i Q_ii, Gershgorin's bound] of lambda_max (dense
                 ///< double: the upper one may come from a factorization of tau I - Q)
};

/// The label used in tables and JSON: "dense", "lanczos", "shift-invert", "bounds".
inline const char* to_string(ExtremeSolver s) {
  switch (s) {
    case ExtremeSolver::dense: return "dense";
    case ExtremeSolver::lanczos: return "lanczos";
    case ExtremeSolver::shift_invert: return "shift-invert";
    case ExtremeSolver::bounds: return "bounds";
  }
  return "unknown";
}

/// How the largest eigenvalue is sought on the iterative path.
enum class LargestBy {
  automatic,    ///< dense Q: Lanczos; sparse Q: shift-invert (tops of sparse spectra cluster)
  lanczos,      ///< Lanczos on Q; shift-invert if it has not converged after 20 restarts
  shift_invert  ///< shift-invert Lanczos around an upper bound of lambda_max
};

/// Options of extreme_eigenvalues.
struct ExtremesOptions {
  /// n <= dense_threshold: the dense symmetric solver (all eigenvalues, O(n^3)) is used.
  Eigen::Index dense_threshold = 200;
  /// Lanczos basis size (Spectra's ncv); at least 3, at most n.
  Eigen::Index krylov_dimension = 24;
  /// Restarts allowed per shift-invert Lanczos run (Spectra's maxit; one retry with twice the
  /// basis and restarts). Plain Lanczos at the top gets at most 20 before shift-invert.
  Eigen::Index max_restarts = 2000;
  /// Relative convergence tolerance of the Lanczos runs (Spectra's tol); 0 = sqrt(eps)/100
  /// (1.5e-10 in double: the Ritz values are then accurate to about eps, their error being
  /// the squared residual over the gap).
  double tolerance = 0;
  /// Prove the far side of each enclosure by a Cholesky factorization (Sylvester's law of
  /// inertia); without it the far side is Gershgorin's bound (still a proof, but loose).
  bool certify = true;
  /// Shifts tried per end before the certificate is given up (each quadruples the gap).
  int certify_attempts = 6;
  LargestBy largest = LargestBy::automatic;
};

/// A closed interval [lo, hi] proven to contain an eigenvalue of Q (the smallest or the
/// largest): lo <= lambda <= hi holds for the exact eigenvalue of the given Q, rounding errors
/// included (see the error model in this file's comments).
template <class Scalar>
struct EigenEnclosure {
  Scalar lo, hi;
  /// true when the far side (lo for lambda_min, hi for lambda_max) comes from a successful
  /// Cholesky factorization of a shifted Q, or Gershgorin's bound is already as tight as such
  /// a factorization would make it; false when it is a loose Gershgorin bound (certification
  /// off, or every shift tried failed to factorize). Either way [lo, hi] is a proof.
  bool certified = false;
  bool contains(const Scalar& x) const { return lo <= x && x <= hi; }
  Scalar width() const { return hi - lo; }
};

/// One extreme eigenpair: point estimate, proven enclosure, and the cost of obtaining them.
template <class Scalar>
struct ExtremeEigenpair {
  Scalar value;                ///< Ritz value: the Rayleigh quotient u^T Q u of `vector`
  Vector<Scalar> vector;       ///< unit Ritz vector u
  Scalar residual;             ///< ||Q u - value u||_2 (computed; not itself a bound)
  EigenEnclosure<Scalar> enclosure;
  ExtremeSolver solver = ExtremeSolver::dense;
  /// Operator applications: products with Q (lanczos) or solves with a factor (shift-invert);
  /// 0 for the dense solver.
  Eigen::Index operations = 0;
  /// Cholesky factorizations done for this end (shift-invert operator and certificates).
  Eigen::Index factorizations = 0;
  /// True on return for every computed end: a shift-invert run that does not converge throws
  /// std::runtime_error, plain Lanczos that does not falls back to shift-invert. False for an
  /// end left as bounds (solver `bounds`: value is then the largest diagonal entry q_ii, the
  /// Rayleigh quotient of the unit vector e_i, and the enclosure [q_ii, Gershgorin's bound],
  /// or [q_ii, tau + m] from one factorization of tau I - Q on the dense double path).
  bool converged = true;
};

/// Decides, once the smallest end is enclosed, whether the largest must be computed: called with
/// the smallest end's enclosure and the cheap proven bounds [max_i q_ii, Gershgorin's bound] of
/// lambda_max. Returning false leaves the largest end as those bounds (solver `bounds`: no
/// Lanczos run, no factorization); the dense double path may call it again with a tighter
/// upper bound (tau + m from a factorization of tau I - Q). An empty function always computes it, and so does the dense
/// symmetric solver (small n), which finds every eigenvalue anyway.
template <class Scalar>
using LargestNeeded = std::function<bool(const EigenEnclosure<Scalar>& smallest,
                                         const EigenEnclosure<Scalar>& largest_bounds)>;

/// Both extremes of a symmetric Q.
template <class Scalar>
struct ExtremeEigenvalues {
  Eigen::Index n = 0;
  ExtremeEigenpair<Scalar> smallest, largest;
  /// Both enclosures certified by factorizations.
  bool certified() const { return smallest.enclosure.certified && largest.enclosure.certified; }
};

/// The smallest and largest eigenvalue of a dense symmetric positive definite Q, with proven
/// enclosures (see ExtremesOptions for the algorithms).
/// Only the lower triangle is used when Q is exactly symmetric; a Q symmetric to within
/// 16 n epsilon ||Q||_max is replaced by its (rounded) symmetric part.
/// \throws std::invalid_argument "extreme_eigenvalues: Q must be square ...", "... finite ...",
///   "... symmetric ...", or "... Q must be positive definite ..." when the Cholesky
///   factorization of Q breaks down or the smallest eigenvalue is not above zero;
///   std::runtime_error if an eigen-solver fails numerically.
template <class Derived>
ExtremeEigenvalues<typename Derived::Scalar> extreme_eigenvalues(
    const Eigen::MatrixBase<Derived>& Q, const ExtremesOptions& options = {},
    const LargestNeeded<typename Derived::Scalar>& largest_needed = {});

/// The same for a sparse Q (any storage of both triangles; only the lower triangle is used when
/// Q is exactly symmetric). Scalar double or long double use Spectra and sparse Cholesky
/// (Eigen's SimplicialLLT with AMD ordering); other scalars go through the dense path.
template <class Scalar>
ExtremeEigenvalues<Scalar> extreme_eigenvalues(const Eigen::SparseMatrix<Scalar>& Q,
                                               const ExtremesOptions& options = {},
                                               const LargestNeeded<Scalar>& largest_needed = {});

/// inf and sup of a method's spectral radius over lambda in [lo, hi], outward rounded:
/// lo <= rho(lambda) <= hi for every real lambda in the interval.
template <class Scalar>
struct RadiusRange {
  Scalar lo, hi;
};

/// Bounds rho(lambda) over [lambda_lo, lambda_hi] (any reals, lambda_lo <= lambda_hi) for
/// GradientDescent, HeavyBall, Velocity and Nesterov (TwoState, PyTorchSGD and QHM: overloads
/// in detail/family_radius.hpp). rho is quasi-convex in lambda (SPEC 5),
/// so the sup is at an end point; the inf is at the end point nearest the set where rho is
/// smallest (heavy ball: the closed complex region, rho = sqrt|beta|; Nesterov and GD: q = 0,
/// rho = 0), or that minimum when the interval meets the set.
/// \throws std::invalid_argument if lambda_lo > lambda_hi or either is not finite.
template <class Method, class Scalar>
RadiusRange<Scalar> radius_range(const Method& method, const Scalar& lambda_lo,
                                 const Scalar& lambda_hi);

/// The worst-case rate of a method on Q with a proven error interval.
template <class Scalar>
struct RateEnclosure {
  Scalar rho;                  ///< point estimate: worst_case at the two Ritz values
  Scalar rho_lo, rho_hi;       ///< proven: rho_lo <= exact worst-case rate <= rho_hi
  RadiusRange<Scalar> at_min, at_max;  ///< rho over each eigenvalue enclosure
  /// The interval is as tight as certificates make it: each end's enclosure is certified, or
  /// that end cannot decide the rate (rho's sup over its enclosure is at most the inf over the
  /// other's, as for a largest end left as bounds by certified_worst_case(method, Q, ...)).
  bool certified = false;
  WorstCase<Scalar> estimate;  ///< the core's worst case at the Ritz values (regimes, ties)
  /// Convergence is proven (rho_hi < 1) / divergence is proven (rho_lo > 1).
  bool converges_proven() const { return rho_hi < 1; }
  bool diverges_proven() const { return rho_lo > 1; }
};

/// Propagates the eigenvalue enclosures through the closed-form radius: the exact worst-case
/// rate max(rho(lambda_min), rho(lambda_max)) lies in [max of the infs, max of the sups] of
/// rho over the two enclosures. Near a critically damped extreme an eigenvalue error d moves
/// rho by about sqrt(d), and the interval shows it.
/// \throws std::invalid_argument if the Ritz values are not positive (worst_case's contract).
template <class Method, class Scalar>
RateEnclosure<Scalar> certified_worst_case(const Method& method,
                                           const ExtremeEigenvalues<Scalar>& extremes);

/// The same from two enclosures and the point estimates inside them.
template <class Method, class Scalar>
RateEnclosure<Scalar> certified_worst_case(const Method& method,
                                           const EigenEnclosure<Scalar>& lambda_min,
                                           const EigenEnclosure<Scalar>& lambda_max,
                                           const Scalar& estimate_min, const Scalar& estimate_max);

/// Whether lambda_max anywhere in `largest` could make the worst-case rate exceed rho over
/// `smallest`. False when rho's sup over `largest` is at most its inf over `smallest`: the rate
/// max(rho(lambda_min), rho(lambda_max)) is then rho(lambda_min), whatever lambda_max is. For
/// example heavy ball with alpha = 0.1, beta = 0.5 on the 2-D Laplacian: lambda_max <= 8 lies
/// in the complex region [0.86, 29.1], where rho = sqrt(beta), below rho(lambda_min) ~ 1.
template <class Method, class Scalar>
bool largest_can_decide(const Method& method, const EigenEnclosure<Scalar>& smallest,
                        const EigenEnclosure<Scalar>& largest);

/// largest_can_decide for `method` as the hook extreme_eigenvalues takes (holds a copy of it).
template <class Scalar, class Method>
LargestNeeded<Scalar> largest_needed_by(const Method& method);

/// The worst-case rate of a method on a dense or sparse Q with a proven interval, computing
/// lambda_max only when it can decide the rate (largest_can_decide on its bounds
/// [max_i q_ii, Gershgorin's bound], which cost no factorization). `extremes` receives both
/// ends; a largest end not computed is those bounds (solver `bounds`, converged false).
/// \throws as extreme_eigenvalues.
template <class Method, class MatrixType>
RateEnclosure<typename MatrixType::Scalar> certified_worst_case(
    const Method& method, const MatrixType& Q,
    ExtremeEigenvalues<typename MatrixType::Scalar>& extremes,
    const ExtremesOptions& options = {});

}  // namespace momentum

// =============================================================================================
// Implementation: the internals live in detail/ (one concept per header), included here after the
// declarations above, which some of them use.

#include <momentum/detail/cholesky_certificate.hpp>
#include <momentum/detail/dense_operator.hpp>
#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/detail/lanczos.hpp>
#include <momentum/detail/point_radius.hpp>
#include <momentum/detail/rayleigh.hpp>
#include <momentum/detail/sparse_operator.hpp>
#include <momentum/detail/certify.hpp>
#include <momentum/detail/extremes_solvers.hpp>

namespace momentum {

template <class Derived>
ExtremeEigenvalues<typename Derived::Scalar> extreme_eigenvalues(
    const Eigen::MatrixBase<Derived>& Q, const ExtremesOptions& options,
    const LargestNeeded<typename Derived::Scalar>& largest_needed) {
  using Scalar = typename Derived::Scalar;
  static_assert(!Eigen::NumTraits<Scalar>::IsComplex, "extreme_eigenvalues: real scalars only");
  const Eigen::Ref<const Matrix<Scalar>> ref(Q.derived());
  if (detail::check_dense_input(ref) > 0) {
    const Matrix<Scalar> sym = (ref + ref.transpose()) / 2;
    return detail::dense_extremes<Scalar>(sym, options, largest_needed);
  }
  return detail::dense_extremes<Scalar>(ref, options, largest_needed);
}

template <class Scalar>
ExtremeEigenvalues<Scalar> extreme_eigenvalues(const Eigen::SparseMatrix<Scalar>& Q,
                                               const ExtremesOptions& options,
                                               const LargestNeeded<Scalar>& largest_needed) {
  using std::abs;
  using Sparse = Eigen::SparseMatrix<Scalar>;
  const Eigen::Index n = Q.rows();
  if (n == 0 || Q.cols() != n)
    throw std::invalid_argument("extreme_eigenvalues: Q must be square and non-empty, got " +
                                std::to_string(Q.rows()) + "x" + std::to_string(Q.cols()));
  Scalar scale(0);
  for (Eigen::Index j = 0; j < Q.outerSize(); ++j)
    for (typename Sparse::InnerIterator it(Q, j); it; ++it) {
      if (!is_finite(it.value()))
        throw std::invalid_argument("extreme_eigenvalues: Q must be finite, entry (" +
                                    std::to_string(it.row() + 1) + "," +
                                    std::to_string(it.col() + 1) + ") is " +
                                    to_string(it.value(), 17));
      scale = detail::max_of(scale, Scalar(abs(it.value())));
    }
  const Sparse T = Q.transpose();
  const Sparse D = Q - T;
  Scalar worst(0);
  Eigen::Index wi = 0, wj = 0;
  for (Eigen::Index j = 0; j < D.outerSize(); ++j)
    for (typename Sparse::InnerIterator it(D, j); it; ++it)
      if (abs(it.value()) > worst) {
        worst = abs(it.value());
        wi = it.row();
        wj = it.col();
      }
  if (worst > 16 * Scalar(n) * epsilon<Scalar>() * scale)
    throw std::invalid_argument(
        "extreme_eigenvalues: Q must be symmetric, but Q(" + std::to_string(wi + 1) + "," +
        std::to_string(wj + 1) + ") = " + to_string(Scalar(Q.coeff(wi, wj)), 17) +
        " differs from Q(" + std::to_string(wj + 1) + "," + std::to_string(wi + 1) + ") = " +
        to_string(Scalar(Q.coeff(wj, wi)), 17));
  Sparse S = worst > 0 ? Sparse((Q + T) / 2) : Q;
  bool iterative = n > std::max<Eigen::Index>(options.dense_threshold, 3);
  if constexpr (!detail::spectra_scalar<Scalar>) iterative = false;
  if (!iterative) {
    const Matrix<Scalar> dense(S);
    return detail::dense_extremes<Scalar>(dense, options, largest_needed);
  }
  if constexpr (detail::spectra_scalar<Scalar>) {
    S.prune(Scalar(0));
    detail::SparseOperator<Scalar> op(std::move(S));
    return detail::iterative_extremes<Scalar>(op, true, options, largest_needed);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Rates from enclosures.

template <class Method, class Scalar>
RadiusRange<Scalar> radius_range(const Method& method, const Scalar& lambda_lo,
                                 const Scalar& lambda_hi) {
  detail::require_lambda_range(lambda_lo, lambda_hi);
  // An s-interval containing step * [lambda_lo, lambda_hi] (either sign of the step).
  const Scalar& a = detail::method_step(method);
  const Scalar s1 = a * lambda_lo, s2 = a * lambda_hi;
  const Scalar sl = detail::round_down(detail::min_of(s1, s2));
  const Scalar sh = detail::round_up(detail::max_of(s1, s2));
  // rho is quasi-convex in s (SPEC 5): the sup over [sl, sh] is at an end; the inf is the
  // global minimum if the interval meets its set, else at an end (rho is monotone there).
  const detail::PointRadius<Scalar> r1 = detail::radius_at(method, sl);
  const detail::PointRadius<Scalar> r2 = detail::radius_at(method, sh);
  RadiusRange<Scalar> out{Scalar(0), detail::max_of(r1.hi, r2.hi)};
  out.lo = detail::meets_minimum(method, sl, sh) ? detail::minimum_radius(method)
                                                 : detail::min_of(r1.lo, r2.lo);
  return out;
}

template <class Method, class Scalar>
RateEnclosure<Scalar> certified_worst_case(const Method& method,
                                           const EigenEnclosure<Scalar>& lambda_min,
                                           const EigenEnclosure<Scalar>& lambda_max,
                                           const Scalar& estimate_min, const Scalar& estimate_max) {
  const RadiusRange<Scalar> at_min = radius_range(method, lambda_min.lo, lambda_min.hi);
  const RadiusRange<Scalar> at_max = radius_range(method, lambda_max.lo, lambda_max.hi);
  WorstCase<Scalar> w = worst_case(method, estimate_min, estimate_max);
  const Scalar rho = w.rho;
  const bool tight = (lambda_min.certified || at_min.hi <= at_max.lo) &&
                     (lambda_max.certified || at_max.hi <= at_min.lo);
  return RateEnclosure<Scalar>{rho,
                               detail::max_of(at_min.lo, at_max.lo),
                               detail::max_of(at_min.hi, at_max.hi),
                               at_min,
                               at_max,
                               tight,
                               std::move(w)};
}

template <class Method, class Scalar>
RateEnclosure<Scalar> certified_worst_case(const Method& method,
                                           const ExtremeEigenvalues<Scalar>& extremes) {
  return certified_worst_case(method, extremes.smallest.enclosure, extremes.largest.enclosure,
                              extremes.smallest.value, extremes.largest.value);
}

template <class Method, class Scalar>
bool largest_can_decide(const Method& method, const EigenEnclosure<Scalar>& smallest,
                        const EigenEnclosure<Scalar>& largest) {
  return !(radius_range(method, largest.lo, largest.hi).hi <=
           radius_range(method, smallest.lo, smallest.hi).lo);
}

template <class Scalar, class Method>
LargestNeeded<Scalar> largest_needed_by(const Method& method) {
  return [method](const EigenEnclosure<Scalar>& smallest, const EigenEnclosure<Scalar>& largest) {
    return largest_can_decide(method, smallest, largest);
  };
}

template <class Method, class MatrixType>
RateEnclosure<typename MatrixType::Scalar> certified_worst_case(
    const Method& method, const MatrixType& Q,
    ExtremeEigenvalues<typename MatrixType::Scalar>& extremes, const ExtremesOptions& options) {
  using Scalar = typename MatrixType::Scalar;
  extremes = extreme_eigenvalues(Q, options, largest_needed_by<Scalar>(method));
  return certified_worst_case(method, extremes);
}

}  // namespace momentum

// radius_range for TwoState, PyTorchSGD and QHM (their internals, after quadratic_radius).
#include <momentum/detail/family_radius.hpp>

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp): the
// dense and the sparse path, with their Lanczos, Cholesky and certificate machinery.
#define MOMENTUM_EXTREMES_INSTANCES(EXTERN, S)                                               \
  EXTERN template momentum::ExtremeEigenvalues<S> momentum::detail::dense_extremes<S>(       \
      const Eigen::Ref<const momentum::Matrix<S>>&, const momentum::ExtremesOptions&,        \
      const momentum::LargestNeeded<S>&);                                                    \
  EXTERN template momentum::ExtremeEigenvalues<S> momentum::extreme_eigenvalues<S>(          \
      const Eigen::SparseMatrix<S>&, const momentum::ExtremesOptions&,                       \
      const momentum::LargestNeeded<S>&);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_EXTREMES_INSTANCES)
