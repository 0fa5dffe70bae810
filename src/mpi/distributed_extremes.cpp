#include "distributed_extremes.hpp"

#include "common.hpp"
#include "matrix_market.hpp"

#include <slepceps.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace momentum::mpi {

using cli::UsageError;

SmallestBy parse_smallest(const std::string& name, const std::string& what) {
  if (name == "auto") return SmallestBy::automatic;
  if (name == "lobpcg" || name == "lobpcg-gamg") return SmallestBy::lobpcg_gamg;
  if (name == "lobpcg-hypre") return SmallestBy::lobpcg_hypre;
  if (name == "shift-invert") return SmallestBy::shift_invert;
  if (name == "krylov-schur") return SmallestBy::krylov_schur;
  throw UsageError(what + ": expected auto, lobpcg (= lobpcg-gamg), lobpcg-hypre, shift-invert or "
                          "krylov-schur, got \"" + name + "\"");
}

LargestBy parse_largest(const std::string& name, const std::string& what) {
  if (name == "auto") return LargestBy::automatic;
  if (name == "lanczos") return LargestBy::lanczos;
  if (name == "krylov-schur") return LargestBy::krylov_schur;
  throw UsageError(what + ": expected auto, lanczos or krylov-schur, got \"" + name + "\"");
}

ExtremeEigenvalues<double> DistributedExtremes::extremes(std::int64_t n) const {
  ExtremeEigenvalues<double> e;
  e.n = static_cast<Eigen::Index>(n);
  e.smallest = smallest.pair;
  e.largest = largest.pair;
  return e;
}

namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();
double gamma_m(double k) { return k * eps / (1 - k * eps); }
double up(double x) { return x + 2 * eps * std::abs(x) + std::numeric_limits<double>::min(); }
double down(double x) { return x - 2 * eps * std::abs(x) - std::numeric_limits<double>::min(); }

/// n at or below this: LAPACK's dense solver on the gathered matrix.
constexpr std::int64_t dense_threshold = 200;

enum class Algorithm { lapack, lobpcg_gamg, lobpcg_hypre, shift_invert, krylov_schur, lanczos };
enum class End { smallest, largest };

struct Plan {
  Algorithm algorithm;
  PetscInt ncv = 0;  ///< 0: SLEPc's default
  std::string label() const {
    switch (algorithm) {
      case Algorithm::lapack: return "lapack (dense)";
      case Algorithm::lobpcg_gamg: return "lobpcg+gamg";
      case Algorithm::lobpcg_hypre: return "lobpcg+hypre";
      case Algorithm::shift_invert: return "shift-invert (mumps cholesky)";
      case Algorithm::krylov_schur: return "krylov-schur (ncv " + std::to_string(ncv) + ")";
      case Algorithm::lanczos: return "lanczos (local reorthogonalization, ncv " + std::to_string(ncv) + ")";
    }
    return "unknown";
  }
};

Plan plan_smallest(std::int64_t n, const DistributedOptions& o) {
  if (n <= dense_threshold) return {Algorithm::lapack};
  switch (o.smallest) {
    case SmallestBy::automatic:
    case SmallestBy::lobpcg_gamg: return {Algorithm::lobpcg_gamg};
    case SmallestBy::lobpcg_hypre: return {Algorithm::lobpcg_hypre};
    case SmallestBy::shift_invert: return {Algorithm::shift_invert};
    case SmallestBy::krylov_schur: break;
  }
  return {Algorithm::krylov_schur, static_cast<PetscInt>(std::min<std::int64_t>(24, n))};
}

/// Lanczos while a basis of at least 64 vectors fits the budget (at most 256), else
/// Krylov-Schur with 24: a basis vector takes 8 bytes per local row on every rank.
Plan plan_largest(MPI_Comm comm, std::int64_t n, const DistributedOptions& o) {
  if (n <= dense_threshold) return {Algorithm::lapack};
  const int ranks = comm_size(comm);
  const double local_rows = std::ceil(double(n) / ranks);
  double budget = o.basis_memory;
  if (budget <= 0) budget = double(cli::physical_memory()) / (8.0 * ranks_on_node(comm));
  const auto fits = static_cast<std::int64_t>(budget / (8.0 * local_rows));
  const auto cap = [n](std::int64_t v) { return static_cast<PetscInt>(std::max<std::int64_t>(3, std::min<std::int64_t>(v, n))); };
  if (o.largest == LargestBy::krylov_schur) return {Algorithm::krylov_schur, cap(o.ncv > 0 ? o.ncv : 24)};
  if (o.largest == LargestBy::lanczos) return {Algorithm::lanczos, cap(o.ncv > 0 ? o.ncv : std::min<std::int64_t>(256, std::max<std::int64_t>(fits, 24)))};
  if (o.ncv > 0) return {Algorithm::lanczos, cap(o.ncv)};
  if (fits >= 64) return {Algorithm::lanczos, cap(std::min<std::int64_t>(256, fits))};
  return {Algorithm::krylov_schur, cap(24)};
}

/// A Rayleigh quotient with rigorous bounds and its residual (see the header).
struct Rayleigh {
  double value, lo, hi, residual;
};

Rayleigh rayleigh(Mat Q, Vec u, const MatrixStats& s, std::int64_t n) {
  MOMENTUM_PETSC(VecNormalize(u, nullptr));
  Handle<Vec, VecDestroy> y;
  MOMENTUM_PETSC(VecDuplicate(u, y.out()));
  MOMENTUM_PETSC(MatMult(Q, u, y.get()));
  PetscScalar num = 0, den = 0;
  MOMENTUM_PETSC(VecDot(y.get(), u, &num));
  MOMENTUM_PETSC(VecDot(u, u, &den));
  const double k = double(s.terms_per_row), N = double(n);
  // |u|^T |Q| |u| <= ||Q||_inf ||u||^2, ||u||^2 = den to within gamma_{n+1}.
  const double a = s.inf_norm * den * (1 + gamma_m(k + N + 2));
  const double e_num = gamma_m(2 * k + 2) * a;
  const double gd = gamma_m(N + 1);
  const double theta = num / den;
  const double err = ((e_num + std::abs(num) * gd) / (den * (1 - gd)) + 2 * eps * std::abs(theta)) * (1 + 8 * eps);
  MOMENTUM_PETSC(VecAXPY(y.get(), -theta, u));
  PetscReal r = 0;
  MOMENTUM_PETSC(VecNorm(y.get(), NORM_2, &r));
  return {theta, down(theta - err), up(theta + err), r};
}

struct Solved {
  Handle<Vec, VecDestroy> vector;
  PetscInt iterations = 0;
};

/// One SLEPc run for one end; `start` (may be null) is the initial vector.
Solved solve(Mat Q, End end, const Plan& plan, double tol, Vec start, const char* prefix) {
  Handle<EPS, EPSDestroy> eps_h;
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(Q));
  MOMENTUM_PETSC(EPSCreate(comm, eps_h.out()));
  EPS eps_ = eps_h.get();
  MOMENTUM_PETSC(EPSSetOptionsPrefix(eps_, prefix));
  MOMENTUM_PETSC(EPSSetOperators(eps_, Q, nullptr));
  MOMENTUM_PETSC(EPSSetProblemType(eps_, EPS_HEP));
  const EPSWhich which = end == End::smallest ? EPS_SMALLEST_REAL : EPS_LARGEST_REAL;
  ST st;
  KSP ksp;
  PC pc;
  MOMENTUM_PETSC(EPSGetST(eps_, &st));
  switch (plan.algorithm) {
    case Algorithm::lapack:
      MOMENTUM_PETSC(EPSSetType(eps_, EPSLAPACK));
      MOMENTUM_PETSC(EPSSetWhichEigenpairs(eps_, which));
      break;
    case Algorithm::lobpcg_gamg:
    case Algorithm::lobpcg_hypre:
      MOMENTUM_PETSC(EPSSetType(eps_, EPSLOBPCG));
      MOMENTUM_PETSC(EPSSetWhichEigenpairs(eps_, which));
      MOMENTUM_PETSC(STSetType(st, STPRECOND));
      MOMENTUM_PETSC(STGetKSP(st, &ksp));
      MOMENTUM_PETSC(KSPSetType(ksp, KSPPREONLY));
      MOMENTUM_PETSC(KSPGetPC(ksp, &pc));
      if (plan.algorithm == Algorithm::lobpcg_gamg) {
        MOMENTUM_PETSC(PCSetType(pc, PCGAMG));
      } else {
        MOMENTUM_PETSC(PCSetType(pc, PCHYPRE));
        MOMENTUM_PETSC(PCHYPRESetType(pc, "boomeramg"));
      }
      break;
    case Algorithm::shift_invert:
      MOMENTUM_PETSC(EPSSetType(eps_, EPSKRYLOVSCHUR));
      MOMENTUM_PETSC(EPSSetWhichEigenpairs(eps_, EPS_TARGET_MAGNITUDE));
      MOMENTUM_PETSC(EPSSetTarget(eps_, 0.0));
      MOMENTUM_PETSC(STSetType(st, STSINVERT));
      MOMENTUM_PETSC(STGetKSP(st, &ksp));
      MOMENTUM_PETSC(KSPSetType(ksp, KSPPREONLY));
      MOMENTUM_PETSC(KSPGetPC(ksp, &pc));
      MOMENTUM_PETSC(PCSetType(pc, PCCHOLESKY));
      MOMENTUM_PETSC(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
      break;
    case Algorithm::krylov_schur:
      MOMENTUM_PETSC(EPSSetType(eps_, EPSKRYLOVSCHUR));
      MOMENTUM_PETSC(EPSSetWhichEigenpairs(eps_, which));
      break;
    case Algorithm::lanczos:
      MOMENTUM_PETSC(EPSSetType(eps_, EPSLANCZOS));
      MOMENTUM_PETSC(EPSLanczosSetReorthog(eps_, EPS_LANCZOS_REORTHOG_LOCAL));
      MOMENTUM_PETSC(EPSSetWhichEigenpairs(eps_, which));
      break;
  }
  MOMENTUM_PETSC(EPSSetDimensions(eps_, 1, plan.ncv > 0 ? plan.ncv : PETSC_DEFAULT, PETSC_DEFAULT));
  MOMENTUM_PETSC(EPSSetTolerances(eps_, tol, PETSC_DEFAULT));
  MOMENTUM_PETSC(EPSSetConvergenceTest(eps_, EPS_CONV_REL));
  if (start) {
    Vec v = start;
    MOMENTUM_PETSC(EPSSetInitialSpace(eps_, 1, &v));
  }
  MOMENTUM_PETSC(EPSSetFromOptions(eps_));  // --petsc-options "-min_eps_... -max_eps_..."
  MOMENTUM_PETSC(EPSSolve(eps_));
  PetscInt nconv = 0, its = 0;
  MOMENTUM_PETSC(EPSGetConverged(eps_, &nconv));
  MOMENTUM_PETSC(EPSGetIterationNumber(eps_, &its));
  Solved s;
  s.iterations = its;
  if (nconv < 1) return s;  // no vector: the caller decides (nconv is the same on every rank)
  MOMENTUM_PETSC(MatCreateVecs(Q, s.vector.out(), nullptr));
  MOMENTUM_PETSC(EPSGetEigenpair(eps_, 0, nullptr, nullptr, s.vector.get(), nullptr));
  return s;
}

/// Inertia of Q - sigma I from a parallel MUMPS LDL^T factorization: nullopt when MUMPS fails.
struct Inertia {
  PetscInt negative = 0, zero = 0, positive = 0;
};
std::optional<Inertia> inertia(Mat Q, double sigma) {
  Handle<Mat, MatDestroy> B, F;
  const LocalFailure failure = catch_local([&] {
    MOMENTUM_PETSC(MatDuplicate(Q, MAT_COPY_VALUES, B.out()));
    MOMENTUM_PETSC(MatShift(B.get(), -sigma));
    MOMENTUM_PETSC(MatSetOption(B.get(), MAT_SYMMETRIC, PETSC_TRUE));
    MOMENTUM_PETSC(MatGetFactor(B.get(), MATSOLVERMUMPS, MAT_FACTOR_CHOLESKY, F.out()));
    // ICNTL(13) = 1 and ICNTL(24) = 1 (set as options in main.cpp): the inertia counts the
    // whole matrix, and (near-)zero pivots are counted as zero.
    MatFactorInfo info;
    MOMENTUM_PETSC(MatFactorInfoInitialize(&info));
    MOMENTUM_PETSC(MatCholeskyFactorSymbolic(F.get(), B.get(), nullptr, &info));
    MOMENTUM_PETSC(MatCholeskyFactorNumeric(F.get(), B.get(), &info));
  });
  // MUMPS's failures are global (INFOG), so every rank agrees on this.
  if (failure.kind != FailureKind::none) return std::nullopt;
  MatFactorError error = MAT_FACTOR_NOERROR;
  MOMENTUM_PETSC(MatFactorGetError(F.get(), &error));
  if (error != MAT_FACTOR_NOERROR) return std::nullopt;
  Inertia in;
  MOMENTUM_PETSC(MatGetInertia(F.get(), &in.negative, &in.zero, &in.positive));
  return in;
}

struct EndState {
  Plan plan;
  Handle<Vec, VecDestroy> vector;  ///< the last Ritz vector (warm start of the refinement)
};

class Driver {
 public:
  Driver(const DistributedMatrix& m, const DistributedOptions& o, cli::Progress* progress)
      : m_(m), o_(o), progress_(progress) {
    MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(m.Q.get()));
    min_.plan = plan_smallest(m.n, o);
    max_.plan = plan_largest(comm, m.n, o);
    // Far from the Ritz value by the factorization's usual backward error (see the header).
    slack_ = 8 * std::sqrt(double(m.n)) * eps * m.stats.inf_norm;
  }

  /// The rough pass (or the refined one straight away) at one end.
  void pass(End end, bool refine, DistributedExtremes& out) {
    const double t0 = MPI_Wtime();
    EndState& s = end == End::smallest ? min_ : max_;
    DistributedEnd& e = end == End::smallest ? out.smallest : out.largest;
    // The rough pass of the largest end uses a small Krylov-Schur basis: cheap, and enough
    // when that end cannot decide the rate.
    Plan plan = s.plan;
    if (!refine && end == End::largest && plan.algorithm == Algorithm::lanczos)
      plan = {Algorithm::krylov_schur, std::min<PetscInt>(24, plan.ncv)};
    if (progress_)
      progress_->stage(std::string(end == End::smallest ? "smallest" : "largest") + " eigenvalue (" +
                       plan.label() + (refine ? "" : ", rough") + ")");
    // The rough pass of the largest end only has to place rho(lambda_max) roughly: its lower
    // bound is a Rayleigh quotient (a proof whatever the residual), its upper one Gershgorin's.
    const double tol = refine ? o_.tolerance
                              : end == End::largest ? std::max(o_.rough_tolerance, 1e-2)
                                                    : o_.rough_tolerance;
    Solved solved = solve(m_.Q.get(), end, plan, tol, s.vector.get(), end == End::smallest ? "min_" : "max_");
    if (!solved.vector) {
      // A preconditioned solver for the smallest end stalls on an indefinite Q: count the
      // eigenvalues below 0 before blaming the solver.
      if (end == End::smallest) {
        const std::optional<Inertia> at0 = inertia(m_.Q.get(), 0.0);
        if (at0 && (at0->negative > 0 || at0->zero > 0))
          throw CollectiveUsageError(
              m_.name + ": Q must be positive definite, but it is " +
              (at0->negative > 0 ? "indefinite: " + std::to_string(at0->negative) +
                                       " of its eigenvalues are negative"
                                 : std::string("singular to working precision")) +
              " (inertia of its LDL^T factorization)");
      }
      throw CollectiveFailure(std::string("the ") + (end == End::smallest ? "smallest" : "largest") +
                              " eigenvalue: SLEPc's " + plan.label() + " did not converge to " +
                              to_string(tol, 3) + " in " + std::to_string(solved.iterations) +
                              " iterations (choose another solver: --smallest / --largest)");
    }
    s.vector = std::move(solved.vector);
    e.iterations += solved.iterations;
    e.solver = refine ? s.plan.label() : plan.label() + ", rough";
    const Rayleigh rq = rayleigh(m_.Q.get(), s.vector.get(), m_.stats, m_.n);
    ExtremeEigenpair<double>& p = e.pair;
    p.solver = plan.algorithm == Algorithm::lapack ? ExtremeSolver::dense
               : plan.algorithm == Algorithm::shift_invert ? ExtremeSolver::shift_invert
                                                            : ExtremeSolver::lanczos;
    p.value = rq.value;
    p.residual = rq.residual;
    p.operations = e.iterations;
    p.converged = true;
    const MatrixStats& g = m_.stats;
    if (end == End::smallest) {
      // rq is the same on every rank (reductions): these refusals are collective.
      if (rq.hi <= 0)
        throw CollectiveUsageError(m_.name + ": Q must be positive definite, but it is indefinite: its "
                         "smallest eigenvalue is at most " + to_string(rq.hi, 17));
      const double zero_tol = 4 * double(m_.n) * eps * g.max_abs;
      if (!(rq.value > zero_tol))
        throw CollectiveUsageError(m_.name + ": Q must be positive definite, but its smallest eigenvalue " +
                         to_string(rq.value, 17) +
                         " is zero to within rounding (semidefinite: no unique minimizer)");
      p.enclosure = {g.gershgorin_lo, rq.hi, false};
    } else {
      p.enclosure = {rq.lo, g.gershgorin_hi, false};
    }
    e.certificate = "gershgorin";
    e.refined = refine;
    if (refine && o_.certify) certify(end, rq, e);
    e.seconds += MPI_Wtime() - t0;
  }

 private:
  void certify(End end, const Rayleigh& rq, DistributedEnd& e) {
    EigenEnclosure<double>& box = e.pair.enclosure;
    double delta = std::max({rq.residual, slack_, 4 * eps * std::abs(rq.value)});
    const double gap = end == End::smallest ? rq.lo - box.lo : box.hi - rq.hi;
    if (gap <= 2 * delta) {
      box.certified = true;
      e.certificate = "gershgorin (as tight as an inertia count)";
      return;
    }
    if (progress_)
      progress_->stage(std::string("certifying the ") + (end == End::smallest ? "smallest" : "largest") +
                       " eigenvalue (inertia of Q - sigma I, MUMPS LDL^T)");
    for (int attempt = 0; attempt < o_.certify_attempts; ++attempt, delta *= 4) {
      const double sigma = end == End::smallest ? down(rq.lo - delta) : up(rq.hi + delta);
      if (end == End::smallest ? !(sigma > box.lo) : !(sigma < box.hi)) return;
      const std::optional<Inertia> in = inertia(m_.Q.get(), sigma);
      ++e.pair.factorizations;
      if (!in || in->zero != 0) continue;
      if (end == End::smallest && in->negative == 0) {
        box.lo = sigma;
      } else if (end == End::largest && in->positive == 0) {
        box.hi = sigma;
      } else {
        continue;  // eigenvalues beyond sigma: the Ritz value is not the extreme, or too close
      }
      box.certified = true;
      e.certificate = "inertia";
      return;
    }
  }

  const DistributedMatrix& m_;
  const DistributedOptions& o_;
  cli::Progress* progress_;
  EndState min_, max_;
  double slack_ = 0;
};

}  // namespace

DistributedExtremes distributed_extremes(const DistributedMatrix& m, const RateOf& rate,
                                         const DistributedOptions& o, cli::Progress* progress) {
  DistributedExtremes out;
  // q_ii = e_i^T Q e_i >= lambda_min: a diagonal entry <= 0 refuses Q before any solver runs
  // (preconditioned solvers stall on such matrices rather than report them).
  if (!(m.stats.min_diagonal > 0))
    throw CollectiveUsageError(m.name + ": Q must be positive definite, but its diagonal entry (" +
                               std::to_string(m.stats.min_diagonal_row + 1) + "," +
                               std::to_string(m.stats.min_diagonal_row + 1) + ") is " +
                               to_string(m.stats.min_diagonal, 17) + " <= 0");
  Driver d(m, o, progress);
  d.pass(End::smallest, o.refine_both, out);
  d.pass(End::largest, o.refine_both, out);
  // Refine only what can move the rate: an end whose sup of rho is at most the other end's
  // inf leaves [rho_lo, rho_hi] (and the point estimate) unchanged however precise it gets.
  while (true) {
    const RateEnclosure<double> r = rate(out.smallest.pair.enclosure, out.largest.pair.enclosure,
                                         out.smallest.pair.value, out.largest.pair.value);
    const bool need_min = !out.smallest.refined && !(r.at_min.hi <= r.at_max.lo);
    const bool need_max = !out.largest.refined && !(r.at_max.hi <= r.at_min.lo);
    if (!need_min && !need_max) {
      for (const auto& [e, name, other] :
           {std::tuple{&out.smallest, "lambda_min", &r.at_max}, std::tuple{&out.largest, "lambda_max", &r.at_min}}) {
        if (e->refined) continue;
        const RadiusRange<double>& mine = e == &out.smallest ? r.at_min : r.at_max;
        out.note += std::string(out.note.empty() ? "" : "; ") + name +
                    " was not refined: rho over its enclosure (at most " + to_string(mine.hi, 6) +
                    ") cannot exceed rho at the other end (at least " + to_string(other->lo, 6) + ")";
      }
      break;
    }
    const bool min_first = need_min && (!need_max || r.at_min.hi >= r.at_max.hi);
    d.pass(min_first ? End::smallest : End::largest, true, out);
  }
  // The rate is certified when every end that decides it is: an end left rough cannot move it.
  out.rate_certified = (!out.smallest.refined || out.smallest.pair.enclosure.certified) &&
                       (!out.largest.refined || out.largest.pair.enclosure.certified);
  return out;
}

}  // namespace momentum::mpi
