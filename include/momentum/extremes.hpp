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
/// factorization at that end; LargestNeeded).
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

#include <Eigen/Cholesky>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <Spectra/SymEigsSolver.h>

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
                 ///< the proven bounds [max_i Q_ii, Gershgorin's bound] of lambda_max
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
  /// Rayleigh quotient of the unit vector e_i, and the enclosure [q_ii, Gershgorin's bound]).
  bool converged = true;
};

/// Decides, once the smallest end is enclosed, whether the largest must be computed: called with
/// the smallest end's enclosure and the cheap proven bounds [max_i q_ii, Gershgorin's bound] of
/// lambda_max. Returning false leaves the largest end as those bounds (solver `bounds`: no
/// Lanczos run, no factorization). An empty function always computes it, and so does the dense
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


// =============================================================================================
// Implementation.

namespace detail {

/// Spectra 1.0 needs constexpr numeric limits: the iterative path serves double and long double;
/// other scalars take the dense path.
template <class Scalar>
constexpr bool spectra_scalar =
    std::is_same_v<Scalar, double> || std::is_same_v<Scalar, long double>;

/// gamma_m = m eps / (1 - m eps), the relative error bound of m roundings (Higham, Lemma 3.1),
/// with eps = 2u for slack.
template <class Scalar>
Scalar gamma_m(Eigen::Index m) {
  const Scalar me = Scalar(m) * epsilon<Scalar>();
  return me / (1 - me);
}

/// Outward rounding of a value that carries at most a few roundings: 2 eps relative, plus the
/// smallest normal number against underflow.
template <class Scalar>
Scalar round_up(const Scalar& x) {
  using std::abs;
  return Scalar(x + 2 * epsilon<Scalar>() * abs(x) + (std::numeric_limits<Scalar>::min)());
}
template <class Scalar>
Scalar round_down(const Scalar& x) {
  using std::abs;
  return Scalar(x - 2 * epsilon<Scalar>() * abs(x) - (std::numeric_limits<Scalar>::min)());
}

template <class Scalar>
Scalar max_of(const Scalar& a, const Scalar& b) {
  return a < b ? b : a;
}
template <class Scalar>
Scalar min_of(const Scalar& a, const Scalar& b) {
  return b < a ? b : a;
}

[[noreturn]] inline void throw_not_positive_definite(const std::string& why) {
  throw std::invalid_argument("extreme_eigenvalues: Q must be positive definite, but " + why);
}

/// Default relative tolerance of the Lanczos runs: sqrt(eps)/100 (1.5e-10 in double). The
/// Ritz value's error is about the square of the residual over the gap, far below this.
template <class Scalar>
Scalar default_lanczos_tolerance() {
  using std::sqrt;
  return Scalar(sqrt(epsilon<Scalar>()) / 100);
}

/// Rigorous Gershgorin bounds of the spectrum of a symmetric matrix, rounded outward.
template <class Scalar>
struct Gershgorin {
  Scalar lo, hi;
};

/// Result of one shifted Cholesky factorization: success, and the rounding margin m with
/// lambda_min(A) > -m (see the file's error model).
template <class Scalar>
struct FactorResult {
  bool ok = false;
  Scalar margin = Scalar(0);
};

/// gamma_{k+1} min(||L||_F^2, max row sum of |L||L^T|) for a computed lower-triangular factor
/// given column by column; `column(j)` yields (row, value) pairs through `for_column`.
/// k is the largest number of entries in a row of L (the longest inner product).
template <class Scalar, class ForEachColumn>
Scalar cholesky_margin(Eigen::Index n, Eigen::Index nonzeros, Eigen::Index k,
                       ForEachColumn&& for_column) {
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
  // Sums of at most `nonzeros` non-negative products: relative error gamma_{nonzeros+2}.
  const Scalar bound = min_of(fro, Scalar(z.maxCoeff())) * (1 + gamma_m<Scalar>(nonzeros + 2));
  return Scalar(gamma_m<Scalar>(k + 1) * bound);
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

/// A Rayleigh quotient with rigorous bounds (see the file's error model) and its residual.
template <class Scalar>
struct RayleighBounds {
  Scalar value, lo, hi, residual;
};

/// Normalizes u and bounds u^T Q u.
template <class Scalar, class Op>
RayleighBounds<Scalar> rayleigh(const Op& op, Vector<Scalar>& u) {
  using std::abs;
  const Eigen::Index n = op.size();
  const Scalar eps = epsilon<Scalar>();
  u.normalize();
  Vector<Scalar> y(n);
  op.multiply(u.data(), y.data());
  const Scalar num = u.dot(y), den = u.squaredNorm();
  const Eigen::Index k = op.terms_per_row();
  // |fl(u^T fl(Q u)) - u^T Q u| <= gamma_{2k+2} |u|^T |Q| |u|; the latter rounded up.
  const Scalar a = op.abs_form(u) * (1 + gamma_m<Scalar>(k + n + 2));
  const Scalar e_num = gamma_m<Scalar>(2 * k + 2) * a;
  const Scalar gd = gamma_m<Scalar>(n + 1);
  const Scalar theta = num / den;
  const Scalar err =
      ((e_num + abs(num) * gd) / (den * (1 - gd)) + 2 * eps * abs(theta)) * (1 + 8 * eps);
  return {theta, round_down(Scalar(theta - err)), round_up(Scalar(theta + err)),
          Scalar((y - theta * u).norm())};
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

/// An a-priori guess of the factorization margin at shift sigma: gamma_{k+1} trace|sigma I - Q|
/// (the ||L||_F^2 bound with ||L||_F^2 ~ trace). Only used to size the first shift.
template <class Scalar, class Op>
Scalar margin_guess(const Op& op, const Scalar& sigma, Eigen::Index k) {
  return gamma_m<Scalar>(k + 1) * (op.diagonal().array() - sigma).abs().sum();
}

/// Tries to prove lambda_min > theta_lo - delta - m by factorizing Q - (theta_lo - delta) I.
template <class Scalar, class Op>
void certify_lower(Op& op, const RayleighBounds<Scalar>& rq, const Scalar& margin_hint,
                   ExtremeEigenpair<Scalar>& e, const ExtremesOptions& o) {
  using std::abs;
  Scalar delta = max_of(max_of(rq.residual, Scalar(margin_hint / 2)),
                        Scalar(4 * epsilon<Scalar>() * abs(rq.value)));
  if (rq.lo - e.enclosure.lo <= 2 * delta) {
    e.enclosure.certified = true;  // already as tight as a factorization could make it
    return;
  }
  for (int attempt = 0; attempt < o.certify_attempts; ++attempt, delta *= 4) {
    const Scalar sigma = rq.lo - delta;
    if (!(sigma > e.enclosure.lo)) return;  // cannot improve on what is proven
    const FactorResult<Scalar> f = op.factor(+1, sigma);
    ++e.factorizations;
    if (f.ok) {
      e.enclosure.lo = max_of(e.enclosure.lo, round_down(Scalar(sigma - f.margin)));
      e.enclosure.certified = true;
      return;
    }
  }
}

/// Tries to prove lambda_max < theta_hi + delta + m by factorizing (theta_hi + delta) I - Q.
template <class Scalar, class Op>
void certify_upper(Op& op, const RayleighBounds<Scalar>& rq, const Scalar& margin_hint,
                   ExtremeEigenpair<Scalar>& e, const ExtremesOptions& o) {
  using std::abs;
  Scalar delta = max_of(max_of(rq.residual, Scalar(margin_hint / 2)),
                        Scalar(4 * epsilon<Scalar>() * abs(rq.value)));
  if (e.enclosure.hi - rq.hi <= 2 * (delta + margin_hint)) {
    e.enclosure.certified = true;  // already as tight as another factorization could make it
    return;
  }
  for (int attempt = 0; attempt < o.certify_attempts; ++attempt, delta *= 4) {
    const Scalar sigma = rq.hi + delta;
    if (!(sigma < e.enclosure.hi)) return;
    const FactorResult<Scalar> f = op.factor(-1, sigma);
    ++e.factorizations;
    if (f.ok) {
      e.enclosure.hi = min_of(e.enclosure.hi, round_up(Scalar(sigma + f.margin)));
      e.enclosure.certified = true;
      return;
    }
  }
}

template <class Scalar>
void require_positive_ritz(const RayleighBounds<Scalar>& rq, const Scalar& zero_tol) {
  if (rq.hi <= 0)
    throw_not_positive_definite("it is indefinite: its smallest eigenvalue is at most " +
                                to_string(rq.hi, 17));
  if (!(rq.value > zero_tol))
    throw_not_positive_definite("its smallest eigenvalue " + to_string(rq.value, 17) +
                                " is zero to within rounding (semidefinite: no unique minimizer)");
}

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

/// Both extremes by Lanczos / shift-invert Lanczos (double and long double).
template <class Scalar, class Op>
ExtremeEigenvalues<Scalar> iterative_extremes(Op& op, bool sparse, const ExtremesOptions& o,
                                              const LargestNeeded<Scalar>& largest_needed) {
  using std::abs;
  const Eigen::Index n = op.size();
  const Scalar eps = epsilon<Scalar>();
  const Gershgorin<Scalar> g = op.gershgorin();
  const Scalar zero_tol = 4 * Scalar(n) * eps * op.max_abs();
  const std::function<void(const Scalar*, Scalar*)> apply_q = [&op](const Scalar* x, Scalar* y) {
    op.multiply(x, y);
  };
  const std::function<void(const Scalar*, Scalar*)> apply_inverse =
      [&op](const Scalar* x, Scalar* y) { op.solve(x, y); };
  ExtremeEigenvalues<Scalar> out;
  out.n = n;

  // Smallest: shift-invert around 0. The factorization of Q itself is the positive-definiteness
  // test (lambda_min > -m0) and the operator of the Lanczos run.
  {
    ExtremeEigenpair<Scalar>& e = out.smallest;
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

  // Largest, unless the caller says it cannot matter (its bounds cost no factorization).
  if (largest_needed) {
    largest_bounds(op, g, out.largest);
    if (!largest_needed(out.smallest.enclosure, out.largest.enclosure)) return out;
    out.largest = ExtremeEigenpair<Scalar>{};
  }
  {
    ExtremeEigenpair<Scalar>& e = out.largest;
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
  DenseOperator<Scalar> op(Q);
  if constexpr (spectra_scalar<Scalar>) {
    if (Q.rows() > std::max<Eigen::Index>(o.dense_threshold, 3))
      return iterative_extremes<Scalar>(op, false, o, largest_needed);
  }
  return dense_solver_extremes(op, o);
}

}  // namespace detail

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

namespace detail {

/// Rigorous bounds of a spectral radius at one point.
template <class Scalar>
struct PointRadius {
  Scalar lo, hi;
};

/// Radius of z^2 - p z + d from bounds on |p|, |d| and the discriminant D = p^2 - 4d.
/// Always rho >= sqrt|d| (product of the roots) and rho >= |p|/2 (their sum); when D >= 0,
/// rho = (|p| + sqrt D)/2, increasing in |p| and D; when D < 0, rho = sqrt d. Hence
/// max(sqrt|d|, (|p| + sqrt(max(D, 0)))/2) is exact, and monotone in each bound.
template <class Scalar>
PointRadius<Scalar> quadratic_radius(const Scalar& p_lo, const Scalar& p_hi, const Scalar& d_lo,
                                     const Scalar& d_hi, const Scalar& D_lo, const Scalar& D_hi) {
  using std::sqrt;
  const Scalar zero(0);
  const Scalar hi = max_of(round_up(Scalar(sqrt(max_of(d_hi, zero)))),
                           round_up(Scalar((max_of(p_hi, zero) + round_up(Scalar(sqrt(max_of(D_hi, zero))))) / 2)));
  const Scalar lo = max_of(
      zero, max_of(round_down(Scalar(sqrt(max_of(d_lo, zero)))),
                   round_down(Scalar((max_of(p_lo, zero) +
                                      max_of(zero, round_down(Scalar(sqrt(max_of(D_lo, zero)))))) / 2))));
  return {lo, hi};
}

/// Heavy ball (and velocity form) at s = step*lambda: z^2 - tau z + beta, tau = 1 + beta - s.
/// For beta >= 0 the discriminant is factored, (s - (1 - sqrt beta)^2)(s - (1 + sqrt beta)^2),
/// so that near a double root its error is eps s |s - (1 + sqrt beta)^2| rather than eps beta.
/// Error bounds (u = eps/2 per operation): 1 - sqrt beta = (1 - beta)/(1 + sqrt beta) has
/// relative error <= 4u, its square <= 9u, (1 + sqrt beta)^2 <= 5u.
template <class Scalar>
PointRadius<Scalar> heavy_ball_radius_at(const Scalar& beta, const Scalar& s) {
  using std::abs;
  using std::sqrt;
  const Scalar eps = epsilon<Scalar>();
  const Scalar t1 = 1 + beta;
  const Scalar tau = t1 - s;
  const Scalar e_tau = eps * (abs(t1) + abs(tau));
  Scalar D, e_D;
  if (beta >= 0) {
    const Scalar sb = sqrt(beta);
    const Scalar lo_root = (1 - beta) / (1 + sb);
    const Scalar lo = lo_root * lo_root, hi = (1 + sb) * (1 + sb);
    const Scalar f1 = s - lo, f2 = s - hi;
    const Scalar e1 = 10 * eps * lo + eps * abs(f1), e2 = 4 * eps * hi + eps * abs(f2);
    D = f1 * f2;
    e_D = (e1 * abs(f2) + e2 * abs(f1) + e1 * e2 + eps * abs(D)) * (1 + 8 * eps);
  } else {
    D = tau * tau - 4 * beta;
    e_D = (e_tau * (2 * abs(tau) + e_tau) + 2 * eps * (tau * tau + 4 * abs(beta))) * (1 + 8 * eps);
  }
  const Scalar ab = abs(beta);
  return quadratic_radius(Scalar(abs(tau) - e_tau), Scalar(abs(tau) + e_tau), ab, ab,
                          Scalar(D - e_D), Scalar(D + e_D));
}

/// Nesterov at s = alpha*lambda: z^2 - (1+beta) q z + beta q, q = 1 - s,
/// discriminant q ((1+beta)^2 q - 4 beta). Relative errors: q <= u, (1+beta) q <= 3u,
/// beta q <= 2u, (1+beta)^2 q <= 5u.
template <class Scalar>
PointRadius<Scalar> nesterov_radius_at(const Scalar& beta, const Scalar& s) {
  using std::abs;
  const Scalar eps = epsilon<Scalar>();
  const Scalar q = 1 - s;
  const Scalar t1 = 1 + beta;
  const Scalar p = t1 * q, e_p = 4 * eps * abs(p);
  const Scalar d = beta * q, e_d = 2 * eps * abs(d);
  const Scalar b1q = t1 * t1 * q;
  const Scalar inner = b1q - 4 * beta;
  const Scalar e_inner = 4 * eps * abs(b1q) + eps * abs(inner);
  const Scalar D = q * inner;
  const Scalar e_D = (abs(q) * e_inner + eps * abs(q) * abs(inner) + eps * abs(D)) * (1 + 8 * eps);
  return quadratic_radius(Scalar(abs(p) - e_p), Scalar(abs(p) + e_p), Scalar(abs(d) - e_d),
                          Scalar(abs(d) + e_d), Scalar(D - e_D), Scalar(D + e_D));
}

template <class Scalar>
PointRadius<Scalar> radius_at(const GradientDescent<Scalar>&, const Scalar& s) {
  using std::abs;
  const Scalar q = abs(Scalar(1 - s));
  return {max_of(Scalar(0), round_down(q)), round_up(q)};
}
template <class Scalar>
PointRadius<Scalar> radius_at(const HeavyBall<Scalar>& m, const Scalar& s) {
  return heavy_ball_radius_at(m.beta, s);
}
template <class Scalar>
PointRadius<Scalar> radius_at(const Velocity<Scalar>& m, const Scalar& s) {
  return heavy_ball_radius_at(m.beta, s);
}
template <class Scalar>
PointRadius<Scalar> radius_at(const Nesterov<Scalar>& m, const Scalar& s) {
  return nesterov_radius_at(m.beta, s);
}

template <class Scalar>
const Scalar& method_step(const GradientDescent<Scalar>& m) { return m.eta; }
template <class Scalar>
const Scalar& method_step(const HeavyBall<Scalar>& m) { return m.alpha; }
template <class Scalar>
const Scalar& method_step(const Velocity<Scalar>& m) { return m.eta; }
template <class Scalar>
const Scalar& method_step(const Nesterov<Scalar>& m) { return m.alpha; }

/// Whether [sl, sh] may meet the set of s where rho is smallest (with a 16 eps slack: a false
/// "yes" only loosens the lower bound), and that smallest radius, rounded down.
/// Heavy ball: rho >= sqrt|beta| always (product of the roots), with equality exactly on the
/// closed complex region [(1 - sqrt beta)^2, (1 + sqrt beta)^2] for beta >= 0 and at tau = 0
/// (s = 1 + beta) for beta < 0. GD and Nesterov: rho = 0 exactly at q = 1 - s = 0.
template <class Scalar>
bool heavy_ball_meets_minimum(const Scalar& beta, const Scalar& sl, const Scalar& sh) {
  using std::abs;
  using std::sqrt;
  const Scalar slack = 16 * epsilon<Scalar>();
  if (beta >= 0) {
    const Scalar sb = sqrt(beta);
    const Scalar lo_root = (1 - beta) / (1 + sb);
    const Scalar lo = lo_root * lo_root * (1 - slack), hi = (1 + sb) * (1 + sb) * (1 + slack);
    return sl <= hi && sh >= lo;
  }
  const Scalar c = 1 + beta, w = slack * (1 + abs(beta));
  return sl <= c + w && sh >= c - w;
}
template <class Scalar>
bool meets_minimum(const HeavyBall<Scalar>& m, const Scalar& sl, const Scalar& sh) {
  return heavy_ball_meets_minimum(m.beta, sl, sh);
}
template <class Scalar>
bool meets_minimum(const Velocity<Scalar>& m, const Scalar& sl, const Scalar& sh) {
  return heavy_ball_meets_minimum(m.beta, sl, sh);
}
template <class Scalar, class Method>
bool meets_minimum(const Method&, const Scalar& sl, const Scalar& sh) {
  const Scalar slack = 16 * epsilon<Scalar>();
  return sl <= 1 + slack && sh >= 1 - slack;
}
template <class Scalar>
Scalar minimum_radius(const HeavyBall<Scalar>& m) {
  using std::abs;
  using std::sqrt;
  return max_of(Scalar(0), round_down(Scalar(sqrt(abs(m.beta)))));
}
template <class Scalar>
Scalar minimum_radius(const Velocity<Scalar>& m) {
  using std::abs;
  using std::sqrt;
  return max_of(Scalar(0), round_down(Scalar(sqrt(abs(m.beta)))));
}
template <class Scalar>
Scalar minimum_radius(const GradientDescent<Scalar>&) { return Scalar(0); }
template <class Scalar>
Scalar minimum_radius(const Nesterov<Scalar>&) { return Scalar(0); }

}  // namespace detail

template <class Method, class Scalar>
RadiusRange<Scalar> radius_range(const Method& method, const Scalar& lambda_lo,
                                 const Scalar& lambda_hi) {
  if (!is_finite(lambda_lo) || !is_finite(lambda_hi))
    throw std::invalid_argument("radius_range: lambda_lo and lambda_hi must be finite, got " +
                                to_string(lambda_lo, 17) + " and " + to_string(lambda_hi, 17));
  if (lambda_lo > lambda_hi)
    throw std::invalid_argument("radius_range: lambda_lo must not exceed lambda_hi, got " +
                                to_string(lambda_lo, 17) + " > " + to_string(lambda_hi, 17));
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
