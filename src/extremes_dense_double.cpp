// The dense extremes path in double (detail/dense_extremes_double.hpp), compiled once.
#include <momentum/extremes.hpp>

#include <Eigen/Cholesky>

#include <cmath>
#include <limits>

#ifdef MOMENTUM_WITH_OPENBLAS
extern "C" {
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
}
#endif

namespace momentum::detail {

namespace {

/// OpenBLAS's thread count for a scope (restored at its end). The factorizations are BLAS-3 and
/// run on every thread; the Lanczos solves and products are hundreds of BLAS-2 calls (Eigen's
/// triangular solves call gemv per panel), which on threads only pay for the synchronization,
/// and on a loaded machine many times over (measured: 26 s instead of 0.8 s of CPU at n = 2000
/// with two threads and a load of 6).
class BlasThreads {
 public:
#ifdef MOMENTUM_WITH_OPENBLAS
  explicit BlasThreads(int threads) : saved_(openblas_get_num_threads()) {
    openblas_set_num_threads(threads < 1 ? saved_ : threads);
  }
  ~BlasThreads() { openblas_set_num_threads(saved_); }
  int saved() const { return saved_; }

 private:
  int saved_;
#else
  explicit BlasThreads(int) {}
  int saved() const { return 0; }
#endif
  BlasThreads(const BlasThreads&) = delete;
  BlasThreads& operator=(const BlasThreads&) = delete;
};

/// DenseOperator<double> with the factorizations on all of OpenBLAS's threads and everything else
/// (inside a BlasThreads(1) scope) on one.
class ThreadedDenseOperator {
 public:
  ThreadedDenseOperator(DenseOperator<double>& op, int threads) : op_(op), threads_(threads) {}
  Eigen::Index size() const { return op_.size(); }
  Eigen::Index terms_per_row() const { return op_.terms_per_row(); }
  const DenseOperator<double>::MatrixRef& matrix() const { return op_.matrix(); }
  Vector<double> diagonal() const { return op_.diagonal(); }
  double max_abs() const { return op_.max_abs(); }
  void multiply(const double* x, double* y) const { op_.multiply(x, y); }
  double abs_form(const Vector<double>& u) const { return op_.abs_form(u); }
  Gershgorin<double> gershgorin() const { return op_.gershgorin(); }
  void solve(const double* x, double* y) const { op_.solve(x, y); }
  FactorResult<double> factor(int sign, const double& sigma) {
    const BlasThreads all(threads_);
    return op_.factor(sign, sigma);
  }
  int threads() const { return threads_; }

 private:
  DenseOperator<double>& op_;
  int threads_;
};

/// A proven upper bound of lambda_max(Q) from a Cholesky factorization of A = tau I - Q computed
/// in single precision, or 0 when A does not factorize (or does not fit in float).
/// Error model (extremes.hpp), with three perturbations of the exact A:
///  - forming a_ii = tau - q_ii in double: |E0| <= eps_d max |a_ii| (one rounding each);
///  - rounding A to float: |E1| <= u_f |A| entrywise (plus n 2^-149 for subnormal results), so
///    ||E1||_2 <= u_f || |A| ||_2 <= u_f max_i sum_j |a_ij|;
///  - the factorization: the computed L is the exact factor of fl(A) + dA with
///    |dA| <= gamma^f_{n+1} |L| |L^T| (Higham, Thm 10.3, in single precision).
/// L L^T is positive definite, so lambda_min(A) > -(||E0|| + ||E1|| + ||dA||) =: -m and
/// lambda_max(Q) < tau + m. The sums that bound these norms are computed in double from the
/// exactly converted float entries and rounded up by their own gamma_m.
double float_upper_bound(const ThreadedDenseOperator& op, double tau) {
  using std::abs;
  const Eigen::Index n = op.size();
  const auto& Q = op.matrix();
  const double eps_d = epsilon<double>();
  const double eps_f = double(std::numeric_limits<float>::epsilon());
  Matrix<float> A(n, n);
  double diag_max = 0, row_abs_max = 0, entry_max = 0;
  Vector<double> row_abs = Vector<double>::Zero(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double ajj = tau - Q(j, j);
    diag_max = max_of(diag_max, abs(ajj));
    row_abs(j) += abs(ajj);
    A(j, j) = static_cast<float>(ajj);
    for (Eigen::Index i = j + 1; i < n; ++i) {
      const double a = -Q(i, j);
      row_abs(i) += abs(a);
      row_abs(j) += abs(a);
      entry_max = max_of(entry_max, abs(a));
      A(i, j) = static_cast<float>(a);
    }
  }
  entry_max = max_of(entry_max, diag_max);
  // Far from float's range only: no overflow, and a margin that stays meaningful.
  if (!(entry_max < 1e30) || !(entry_max > 1e-30)) return 0;
  row_abs_max = row_abs.maxCoeff() * (1 + gamma_m<double>(n + 2));
  bool factored = false;
  {
    const BlasThreads all(op.threads());
    Eigen::LLT<Eigen::Ref<Matrix<float>>, Eigen::Lower> llt(A);
    factored = llt.info() == Eigen::Success;
  }
  if (!factored) return 0;
  // gamma^f_{n+1} min(||L||_F^2, max row sum of |L||L^T|), the sums in double.
  const double gamma_f = double(n + 1) * eps_f / (1 - double(n + 1) * eps_f);
  const double abs_bound = cholesky_abs_bound<double>(
      n, n * (n + 1) / 2, [&A, n](Eigen::Index j, auto&& f) {
        for (Eigen::Index i = j; i < n; ++i) f(i, double(A(i, j)));
      });
  const double subnormal = double(n) * std::ldexp(1.0, -149);
  const double m = round_up(round_up(gamma_f * abs_bound) + round_up(eps_f * row_abs_max) +
                            round_up(eps_d * diag_max) + subnormal);
  return round_up(tau + m);
}

/// Leaves the largest end as proven bounds [max_i q_ii, hi] with hi from one factorization of
/// tau I - Q (single precision first, double if the single-precision margin is too wide), tau
/// as large as `needed` allows with room for the margin, when that proves the largest end cannot
/// decide the rate. Returns false (e unchanged) when it cannot.
bool largest_below_threshold(ThreadedDenseOperator& op, const LargestNeeded<double>& needed,
                             const EigenEnclosure<double>& smallest, ExtremeEigenpair<double>& e) {
  const double lo = e.enclosure.lo;
  auto decides = [&](double hi) {
    return needed(smallest, EigenEnclosure<double>{lo, hi, false});
  };
  if (decides(lo)) return false;  // even the largest diagonal entry may decide the rate
  // The largest upper bound that cannot decide the rate: bisection between lo and Gershgorin's
  // bound (where it may; sup of rho over [lo, hi] grows with hi).
  double a = lo, b = e.enclosure.hi;
  for (int i = 0; i < 64 && b - a > 4 * epsilon<double>() * std::abs(b); ++i) {
    const double mid = a + (b - a) / 2;
    (decides(mid) ? b : a) = mid;
  }
  // tau an eighth of the room below that bound: far enough above max q_ii for the
  // factorization to succeed when lambda_max is well inside, near enough for its margin.
  const double tau = a - (a - lo) / 8;
  if (!(tau > lo)) return false;
  double hi = float_upper_bound(op, tau);
  int factorizations = 1;
  if (hi == 0) return false;  // lambda_max is near or above tau: it may decide the rate
  if (decides(hi)) {
    // The single-precision margin is too wide: the same shift in double.
    const FactorResult<double> f = op.factor(-1, tau);
    ++factorizations;
    if (!f.ok) return false;
    hi = round_up(tau + f.margin);
    if (decides(hi)) return false;
  }
  e.enclosure.hi = min_of(e.enclosure.hi, hi);
  e.factorizations = factorizations;
  return true;
}

}  // namespace

ExtremeEigenvalues<double> dense_extremes_double(const Eigen::Ref<const Matrix<double>>& Q,
                                                 const ExtremesOptions& o,
                                                 const LargestNeeded<double>& largest_needed) {
  DenseOperator<double> dense(Q);
  const BlasThreads one(1);  // the factorizations take back every thread (ThreadedDenseOperator)
  ThreadedDenseOperator op(dense, one.saved());
  const Gershgorin<double> g = op.gershgorin();
  ExtremeEigenvalues<double> out;
  out.n = op.size();
  smallest_by_shift_invert(op, g, o, out.smallest);
  if (largest_needed) {
    largest_bounds(op, g, out.largest);
    if (!largest_needed(out.smallest.enclosure, out.largest.enclosure)) return out;
    if (o.certify && largest_below_threshold(op, largest_needed, out.smallest.enclosure, out.largest))
      return out;
    out.largest = ExtremeEigenpair<double>{};
  }
  largest_by_lanczos(op, false, g, o, out.largest);
  return out;
}

}  // namespace momentum::detail
