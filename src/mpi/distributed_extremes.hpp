#pragma once
/// \file distributed_extremes.hpp
/// The two extreme eigenvalues of a distributed symmetric Q by SLEPc, with enclosures, each
/// computed only as precisely as the worst-case rate needs.
///
/// Enclosures [lo, hi] of lambda_min and lambda_max:
/// - Near side (hi of lambda_min, lo of lambda_max): the Rayleigh quotient of the Ritz vector,
///   with the rounding bound of extremes.hpp (|fl(u^T Q u) - u^T Q u| <= gamma_{2k+2}
///   |u|^T |Q| |u|), where |u|^T |Q| |u| <= ||Q||_inf ||u||^2 (|Q| is symmetric, so its 2-norm
///   is at most its infinity norm). A proof, rounding included, whatever the solver did.
/// - Far side (lo of lambda_min, hi of lambda_max): Gershgorin's bound (a proof, often loose),
///   or, when certification is on, an inertia count: MUMPS factorizes Q - sigma I = L D L^T in
///   parallel and Sylvester's law of inertia says how many eigenvalues lie below sigma. The
///   count is exact for a matrix within MUMPS's backward error of Q - sigma I, which MUMPS does
///   not bound; sigma keeps a slack of 8 sqrt(n) eps ||Q||_inf from the Ritz value for it
///   (the usual size of a stable factorization's backward error, not a proven bound). Hence
///   `certified` here means "certified by an inertia count", weaker than the single-machine
///   path's Cholesky proof with its rounding-error bound.
///
/// Solvers (SLEPc 3.18), chosen by problem size unless asked:
/// - smallest: LOBPCG preconditioned by algebraic multigrid (PETSc's GAMG, or hypre's
///   BoomerAMG): no factorization, memory O(n); or shift-invert Krylov-Schur at 0 with a MUMPS
///   Cholesky factor (more memory); plain Krylov-Schur on request (slow on clustered bottoms).
/// - largest: Lanczos with local reorthogonalization and a large basis (ncv n 8 bytes of
///   memory, so ncv shrinks as n grows) while the basis fits the memory budget, else
///   Krylov-Schur with a small basis (slower, little memory).
/// - n <= 200: LAPACK's dense solver for both.

#include "distributed_matrix.hpp"

#include <momentum/extremes.hpp>

#include <functional>
#include <string>

namespace momentum::mpi {

enum class SmallestBy { automatic, lobpcg_gamg, lobpcg_hypre, shift_invert, krylov_schur };
enum class LargestBy { automatic, lanczos, krylov_schur };

/// \throws cli::UsageError naming `what` for an unknown name.
SmallestBy parse_smallest(const std::string& name, const std::string& what);
LargestBy parse_largest(const std::string& name, const std::string& what);

struct DistributedOptions {
  SmallestBy smallest = SmallestBy::automatic;
  LargestBy largest = LargestBy::automatic;
  /// Lanczos basis size for the largest end; 0: as many as the memory budget allows, at most
  /// 256 (below 64 vectors, Krylov-Schur with 24 is used instead).
  PetscInt ncv = 0;
  /// Bytes of basis each rank may hold; 0: an eighth of the node's memory shared by its ranks.
  double basis_memory = 0;
  /// Relative residual ||Q u - theta u|| / |theta| of a refined end (its Rayleigh quotient is
  /// then accurate to about tolerance^2 |theta|^2 / gap).
  double tolerance = 1e-10;
  /// Relative residual of the first, rough pass.
  double rough_tolerance = 1e-4;
  /// Certify the far side of each refined end by an inertia count (MUMPS).
  bool certify = true;
  /// Refine (and certify) both ends even when one cannot change the rate.
  bool refine_both = false;
  /// Shifts tried per end before the certificate is given up (each quadruples the gap).
  int certify_attempts = 4;
};

/// One end: the library's eigenpair record (no vector kept) and how it was obtained.
struct DistributedEnd {
  ExtremeEigenpair<double> pair;
  std::string solver;       ///< "lobpcg+gamg", "shift-invert (mumps cholesky)", "lanczos (ncv 256)", ...
  std::string certificate;  ///< "inertia", "gershgorin", "gershgorin (as tight as inertia)"
  bool refined = false;     ///< solved to `tolerance` (else only the rough pass)
  PetscInt iterations = 0;  ///< solver iterations (restarts), all passes
  double seconds = 0;       ///< wall time spent on this end (solves and certificates)
};

struct DistributedExtremes {
  DistributedEnd smallest, largest;
  std::string note;  ///< why an end was left rough, when one was
  /// Every end that decides the rate is certified (an end left rough cannot move the rate).
  bool rate_certified = false;
  /// For certified_worst_case.
  ExtremeEigenvalues<double> extremes(std::int64_t n) const;
};

/// The rate enclosure of the method for the enclosures and estimates of the two ends.
using RateOf = std::function<RateEnclosure<double>(const EigenEnclosure<double>&,
                                                   const EigenEnclosure<double>&, double, double)>;

/// Both extremes of m.Q, each refined only when the rate needs it: after a rough pass at both
/// ends, an end whose sup of rho over its enclosure is at most the other end's inf cannot move
/// the rate, and is left rough. Collective.
/// \throws cli::UsageError when Q is not positive definite; std::runtime_error when a solver
/// does not converge or PETSc fails.
DistributedExtremes distributed_extremes(const DistributedMatrix& m, const RateOf& rate,
                                         const DistributedOptions& o, cli::Progress* progress);

}  // namespace momentum::mpi
