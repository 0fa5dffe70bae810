#pragma once
/// \file memory_matrix.hpp
/// Matrices and vectors held in memory that --matrix and --linear can name instead of a file.
/// The Python package (python/src/module.cpp) registers a numpy array (read in place: a view
/// of its buffer in C or Fortran order, not a copy) or a scipy.sparse matrix (as an
/// Eigen::SparseMatrix) under a name such as "<Q: numpy float64 array>" for the length of one
/// call, and passes that name as the option's value. The command line registers nothing, so
/// every name it is given stays a file name. Not thread-safe: the registering caller
/// serializes its calls of the tool.

#include "matrix_market.hpp"

#include <memory>
#include <optional>
#include <string>

namespace momentum::cli {

/// An in-memory matrix (or vector: n x 1 or 1 x n) of doubles.
struct MemoryMatrix {
  Eigen::Index rows = 0, cols = 0;
  const double* data = nullptr;  ///< dense: the entries (not owned; valid while registered)
  bool row_major = false;        ///< dense: C order (numpy's default) rather than Fortran
  /// A sparse matrix instead of `data` (owned: the caller built it from CSR or COO arrays).
  std::shared_ptr<const Eigen::SparseMatrix<double>> sparse;
};

/// Registers `m` under `name` (replacing an earlier one).
void register_memory_matrix(const std::string& name, MemoryMatrix m);
/// Forgets every registered matrix.
void clear_memory_matrices();
/// The matrix registered under `name`, or nullptr (then `name` is a file).
const MemoryMatrix* find_memory_matrix(const std::string& name);

/// The matrix as a file of it would read: dense (`array`, general) or sparse (`coordinate`).
/// \throws UsageError "<what> <name>: entry (i,j) is nan: every value must be finite".
template <class Scalar>
MatrixMarket<Scalar> read_memory_matrix(const MemoryMatrix& m, const std::string& name,
                                        const std::string& what);

/// Its header alone (to choose between the dense and the extremes path).
MatrixMarketHeader memory_matrix_header(const MemoryMatrix& m);

/// The matrix registered under `name` as a column-major view of its own buffer (no copy), when
/// it is dense, square, non-empty and finite, and, if stored in C order, exactly symmetric (C
/// order is then the transpose, which is the same matrix). Otherwise nothing: the caller reads
/// it with read_memory_matrix, which copies it and names what is wrong.
std::optional<Eigen::Map<const Matrix<double>>> memory_view(const std::string& name);

/// The matrix as a vector (n x 1 or 1 x n). \throws UsageError for another shape or a value
/// that is not finite.
template <class Scalar>
Vector<Scalar> read_memory_vector(const MemoryMatrix& m, const std::string& name,
                                  const std::string& what);

extern template MatrixMarket<double> read_memory_matrix<double>(const MemoryMatrix&,
                                                                const std::string&,
                                                                const std::string&);
extern template MatrixMarket<mpfr_float> read_memory_matrix<mpfr_float>(const MemoryMatrix&,
                                                                        const std::string&,
                                                                        const std::string&);
extern template Vector<double> read_memory_vector<double>(const MemoryMatrix&, const std::string&,
                                                          const std::string&);
extern template Vector<mpfr_float> read_memory_vector<mpfr_float>(const MemoryMatrix&,
                                                                  const std::string&,
                                                                  const std::string&);

}  // namespace momentum::cli
