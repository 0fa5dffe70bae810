#pragma once
/// \file npy.hpp
/// A reader of NumPy's .npy files (numpy.save; format versions 1.0, 2.0 and 3.0,
/// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): dtypes float64 and
/// float32 (promoted exactly to the working precision), and integers of 1 to 8 bytes, either
/// byte order; C or Fortran order. The header (a Python dict literal) is parsed strictly and
/// checked against the file's size and the memory limit of require_memory before anything is
/// allocated; values that are NaN or infinite, other dtypes (complex, object, strings,
/// structured), truncated files and trailing bytes are refused with a UsageError naming the
/// argument and the file. Fuzzed by tests/fuzz/fuzz_npy.cpp.

#include "matrix_market.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace momentum::cli {

/// What a .npy header says.
struct NpyHeader {
  int major = 1, minor = 0;     ///< format version
  std::string descr;            ///< NumPy's dtype string, "<f8"
  char kind = 'f';              ///< 'f' (float), 'i' (signed) or 'u' (unsigned integer)
  int item_size = 8;            ///< bytes per value
  bool big_endian = false;
  bool fortran_order = false;   ///< column-major
  std::vector<std::int64_t> shape;
  std::uint64_t data_offset = 0;  ///< where the values start
  std::uint64_t elements() const;
  /// The dtype's name: "float64", "float32", "int16", "uint8", ...
  std::string dtype() const;
  /// The shape as Python prints it: "(3, 3)", "(3,)".
  std::string shape_text() const;
};

/// Parses the header's text, a Python dict literal such as
/// "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }" (the version and data_offset
/// are the caller's); `where` ("--matrix Q.npy") starts every message (src/cli/npy_header.cpp).
/// \throws UsageError for a malformed dict, an unsupported dtype, or a shape that is not 1- or
///         2-dimensional with sizes in 1..2^31-1.
NpyHeader parse_npy_dict(std::string_view text, const std::string& where);

/// Whether the file is a regular file that starts with the .npy magic bytes "\x93NUMPY" (false
/// when it cannot be read, the reader then says why, and for a pipe, whose bytes a peek would
/// consume).
bool has_npy_magic(const std::string& path);

/// Reads the header of a .npy file; `what` names the argument ("--matrix").
/// \throws UsageError for an unreadable file, a bad magic, version or header, an unsupported
///         dtype, or a shape that is not 1- or 2-dimensional with positive sizes.
NpyHeader read_npy_header(const std::string& path, const std::string& what);

/// Reads a 2-D .npy array as a dense matrix (header.npy set, field the dtype's name).
/// \throws UsageError as read_npy_header, and for a shape that is not 2-D, a file shorter or
///         longer than its shape, a matrix beyond the memory limit, a NaN or infinite value,
///         or (in double) an integer beyond 2^53.
template <class Scalar>
MatrixMarket<Scalar> read_npy(const std::string& path, const std::string& what,
                              Progress* progress = nullptr);

/// Reads a vector: shape (n,), (n, 1) or (1, n).
template <class Scalar>
Vector<Scalar> read_npy_vector(const std::string& path, const std::string& what);

/// Reads .npy bytes held in memory, as read_npy reads a file; `name` stands for the file in
/// messages. (The fuzzer, tests/fuzz/fuzz_npy.cpp.)
template <class Scalar>
MatrixMarket<Scalar> parse_npy(std::string_view bytes, const std::string& name,
                               const std::string& what);

/// Reads a vector held in memory, as read_npy_vector reads a file.
template <class Scalar>
Vector<Scalar> parse_npy_vector(std::string_view bytes, const std::string& name,
                                const std::string& what);

extern template MatrixMarket<double> read_npy<double>(const std::string&, const std::string&,
                                                      Progress*);
extern template MatrixMarket<mpfr_float> read_npy<mpfr_float>(const std::string&,
                                                              const std::string&, Progress*);
extern template Vector<double> read_npy_vector<double>(const std::string&, const std::string&);
extern template Vector<mpfr_float> read_npy_vector<mpfr_float>(const std::string&,
                                                               const std::string&);
extern template MatrixMarket<double> parse_npy<double>(std::string_view, const std::string&,
                                                       const std::string&);
extern template MatrixMarket<mpfr_float> parse_npy<mpfr_float>(std::string_view,
                                                               const std::string&,
                                                               const std::string&);
extern template Vector<double> parse_npy_vector<double>(std::string_view, const std::string&,
                                                        const std::string&);
extern template Vector<mpfr_float> parse_npy_vector<mpfr_float>(std::string_view,
                                                                const std::string&,
                                                                const std::string&);

}  // namespace momentum::cli
