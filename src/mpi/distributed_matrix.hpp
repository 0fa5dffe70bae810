#pragma once
/// \file distributed_matrix.hpp
/// A symmetric Q distributed by blocks of rows over the ranks of a communicator (a PETSc
/// MPIAIJ matrix), read from a Matrix Market coordinate file or a PETSc binary file so that no
/// rank ever holds all of Q: each rank parses one byte range of the text file and sends every
/// entry to the rank owning its row (PETSc's default layout), and PETSc's MatLoad reads a
/// binary file block by block.
///
/// Limits: PETSc's indices (PetscInt) are 32-bit in Debian's default build, so n and the
/// nonzeros of the full (mirrored) Q must stay below 2^31; larger inputs are refused with a
/// message that names the limit.

#include "petsc_support.hpp"
#include "progress.hpp"

#include <petscmat.h>

#include <cstdint>
#include <string>

namespace momentum::mpi {

/// Global facts about Q gathered in one pass over the local rows, all rigorous bounds
/// (sums rounded up): what the certificates need.
struct MatrixStats {
  double max_abs = 0;         ///< max |q_ij|
  double inf_norm = 0;        ///< an upper bound of max_i sum_j |q_ij| (>= ||Q||_2)
  double gershgorin_lo = 0;   ///< rigorous lower bound of every eigenvalue (rounded outward)
  double gershgorin_hi = 0;   ///< rigorous upper bound of every eigenvalue
  PetscInt terms_per_row = 1; ///< most stored entries in one row (at least 1)
  double min_diagonal = 0;    ///< min q_ii (lambda_min <= q_ii: a Rayleigh quotient of e_i)
  std::int64_t min_diagonal_row = 0;  ///< its row (0-based)
};

/// Q on the ranks of `comm`, with what the report says about it.
struct DistributedMatrix {
  Handle<Mat, MatDestroy> Q;
  std::string name;            ///< "--matrix Q.mtx": the argument and file, for messages
  std::int64_t n = 0;
  std::int64_t nonzeros = 0;   ///< stored entries of the full matrix (both triangles)
  std::string format;          ///< "Matrix Market coordinate symmetric", "PETSc binary", ...
  bool symmetrized = false;    ///< Q was symmetric to rounding and replaced by (Q + Q^T)/2
  MatrixStats stats;
};

/// Reads `path` (a Matrix Market coordinate file, or a PETSc binary matrix: recognized by its
/// first bytes) on every rank of `comm`. `what` names the argument in messages ("--matrix").
/// Collective. \throws cli::UsageError (on every rank) for a missing, malformed, truncated,
/// non-square, non-symmetric or oversized file (more than PETSc's index limit), with the file
/// and, for text, the line; std::runtime_error if PETSc fails.
DistributedMatrix load_distributed_matrix(MPI_Comm comm, const std::string& path,
                                          const std::string& what, cli::Progress* progress);

/// Writes Q in PETSc's binary format (MatView), block by block. Collective.
/// \throws cli::UsageError if `path` exists and `force` is false; std::runtime_error on I/O.
void write_petsc_binary(const DistributedMatrix& m, const std::string& path, bool force);

/// The largest n and nonzero count this PETSc build can index (2^31 - 1 with 32-bit PetscInt).
std::int64_t petsc_index_limit();

}  // namespace momentum::mpi
