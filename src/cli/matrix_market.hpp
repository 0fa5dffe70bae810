#pragma once
/// \file matrix_market.hpp
/// A streaming reader of Matrix Market files (https://math.nist.gov/MatrixMarket/formats.html):
/// `array` (dense, column-major) and `coordinate` (sparse triplets) formats, `real` or
/// `integer` fields, `general` or `symmetric` symmetry. Memory is proportional to the stored
/// entries (coordinate files go through triplets into an Eigen::SparseMatrix); every value is
/// parsed from its text straight into Scalar. Malformed, truncated, binary, out-of-range and
/// oversized files are refused with a UsageError naming the file and the line.

#include "common.hpp"
#include "progress.hpp"

#include <Eigen/SparseCore>

#include <cstdint>
#include <string>
#include <string_view>

namespace momentum::cli {

/// What the banner and size line of a Matrix Market file say (or, with `npy`, the header of a
/// NumPy .npy file: dense, general, its dtype's name in `field`; src/cli/npy.hpp).
struct MatrixMarketHeader {
  bool coordinate = false;  ///< `coordinate` (sparse) rather than `array` (dense)
  bool symmetric = false;   ///< only the lower triangle is stored
  bool npy = false;         ///< read from a .npy file
  std::string field;        ///< "real" or "integer" ("float64", "float32", "int32"... for .npy)
  Eigen::Index rows = 0, cols = 0;
  std::int64_t entries = 0; ///< entries stored in the file
};

/// A matrix read from a file: dense for `array` files, sparse for `coordinate` files.
template <class Scalar>
struct MatrixMarket {
  MatrixMarketHeader header;
  Matrix<Scalar> dense;                ///< set for `array` files
  Eigen::SparseMatrix<Scalar> sparse;  ///< set for `coordinate` files (symmetric ones mirrored)
  bool is_sparse() const { return header.coordinate; }
  /// Entries of the full matrix that are stored (nonzeros of the mirrored sparse matrix, or
  /// rows * cols for dense).
  std::int64_t stored() const;
  /// Fraction of the full matrix stored.
  double density() const;
};

/// Reads `path`; `what` names the command-line argument in messages ("--matrix").
/// Progress is reported to `progress` when given.
/// \throws UsageError for an unreadable, malformed, truncated, binary or oversized file.
template <class Scalar>
MatrixMarket<Scalar> read_matrix_market(const std::string& path, const std::string& what,
                                        Progress* progress = nullptr);

/// Reads only the banner and size line (to choose between the dense and the extremes path
/// before reading millions of entries). \throws UsageError as read_matrix_market.
MatrixMarketHeader read_matrix_market_header(const std::string& path, const std::string& what);

/// Reads a vector: an n x 1 (or 1 x n) matrix in either format.
template <class Scalar>
Vector<Scalar> read_matrix_market_vector(const std::string& path, const std::string& what);

/// Reads a Matrix Market text held in memory, as read_matrix_market reads a file; `name`
/// stands for the file in messages. (Tests and the fuzzer, tests/fuzz/fuzz_matrix_market.cpp.)
template <class Scalar>
MatrixMarket<Scalar> parse_matrix_market(std::string_view text, const std::string& name,
                                         const std::string& what);

/// Reads a vector held in memory, as read_matrix_market_vector reads a file.
template <class Scalar>
Vector<Scalar> parse_matrix_market_vector(std::string_view text, const std::string& name,
                                          const std::string& what);

/// Physical memory of this machine in bytes (0 when unknown); inputs whose estimated memory
/// exceeds half of it are refused up front.
std::uint64_t physical_memory();

/// Bytes one Scalar takes, including MPFR's limbs at the current precision.
template <class Scalar>
std::uint64_t bytes_per_scalar();

/// "1.5 GiB": a byte count for messages.
std::string human_bytes(double bytes);

/// Refuses (UsageError naming `what`) a request estimated to need `bytes` of memory when that
/// exceeds half the physical memory, or the limit set by set_memory_limit.
void require_memory(double bytes, const std::string& what, const std::string& request);

/// Sets the limit of require_memory to `bytes` (0: back to half the physical memory). For tests
/// and the fuzzers, whose allocations must stay within libFuzzer's -rss_limit_mb.
void set_memory_limit(std::uint64_t bytes);

extern template MatrixMarket<double> read_matrix_market<double>(const std::string&,
                                                                const std::string&, Progress*);
extern template MatrixMarket<mpfr_float> read_matrix_market<mpfr_float>(const std::string&,
                                                                        const std::string&,
                                                                        Progress*);
extern template Vector<double> read_matrix_market_vector<double>(const std::string&,
                                                                 const std::string&);
extern template Vector<mpfr_float> read_matrix_market_vector<mpfr_float>(const std::string&,
                                                                         const std::string&);
extern template MatrixMarket<double> parse_matrix_market<double>(std::string_view,
                                                                 const std::string&,
                                                                 const std::string&);
extern template MatrixMarket<mpfr_float> parse_matrix_market<mpfr_float>(std::string_view,
                                                                         const std::string&,
                                                                         const std::string&);
extern template Vector<double> parse_matrix_market_vector<double>(std::string_view,
                                                                  const std::string&,
                                                                  const std::string&);
extern template Vector<mpfr_float> parse_matrix_market_vector<mpfr_float>(std::string_view,
                                                                          const std::string&,
                                                                          const std::string&);

}  // namespace momentum::cli
