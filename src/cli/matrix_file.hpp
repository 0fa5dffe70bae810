#pragma once
/// \file matrix_file.hpp
/// The files --matrix and --linear accept: Matrix Market (src/cli/matrix_market.hpp) or NumPy
/// .npy (src/cli/npy.hpp), told apart by the .npy magic bytes "\x93NUMPY" (or the .npy
/// extension, so that a damaged .npy file gets the .npy reader's message). Every error about
/// reading such a file names the formats accepted. A name registered in memory_matrix.hpp (by
/// the Python package, for one call) is read from memory instead.

#include "matrix_market.hpp"

#include <string>

namespace momentum::cli {

/// "--matrix accepts Matrix Market files (...) and NumPy .npy files (...)": the hint every
/// error reading a --matrix (or, with `vector`, --linear) file ends with.
std::string accepted_formats(const std::string& what, bool vector);

/// Whether `path` is read as a .npy file: it starts with "\x93NUMPY" or its name ends in .npy
/// (a pipe, which cannot be peeked at, only by its name).
bool is_npy_file(const std::string& path);

/// Reads a matrix from either format; `what` names the argument ("--matrix").
/// \throws UsageError (ending with accepted_formats) as read_matrix_market or read_npy.
template <class Scalar>
MatrixMarket<Scalar> read_matrix_file(const std::string& path, const std::string& what,
                                      Progress* progress = nullptr);

/// Reads only the header (to choose between the dense and the extremes path).
MatrixMarketHeader read_matrix_file_header(const std::string& path, const std::string& what);

/// Reads a vector (n x 1 or 1 x n; for .npy also shape (n,)) from either format.
template <class Scalar>
Vector<Scalar> read_vector_file(const std::string& path, const std::string& what);

extern template MatrixMarket<double> read_matrix_file<double>(const std::string&,
                                                              const std::string&, Progress*);
extern template MatrixMarket<mpfr_float> read_matrix_file<mpfr_float>(const std::string&,
                                                                      const std::string&,
                                                                      Progress*);
extern template Vector<double> read_vector_file<double>(const std::string&, const std::string&);
extern template Vector<mpfr_float> read_vector_file<mpfr_float>(const std::string&,
                                                                const std::string&);

}  // namespace momentum::cli
