#include "matrix_file.hpp"

#include "memory_matrix.hpp"
#include "npy.hpp"

namespace momentum::cli {

namespace {

/// Runs read(); a UsageError it throws gets the accepted formats appended.
template <class F>
auto with_formats(F&& read, const std::string& what, bool vector) -> decltype(read()) {
  try {
    return read();
  } catch (const UsageError& e) {
    throw UsageError(std::string(e.what()) + "\n  " + accepted_formats(what, vector));
  }
}

}  // namespace

std::string accepted_formats(const std::string& what, bool vector) {
  return what + " accepts Matrix Market files (array or coordinate; real or integer; general or " +
         "symmetric" + (vector ? "; n x 1 or 1 x n" : "") +
         ") and NumPy .npy files (float64 or float32, also integers and big-endian; C or Fortran " +
         "order; shape " + (vector ? "(n,), (n, 1) or (1, n)" : "(n, n)") + ")";
}

bool is_npy_file(const std::string& path) {
  const std::string ext = ".npy";
  return has_npy_magic(path) ||
         (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0);
}

template <class Scalar>
MatrixMarket<Scalar> read_matrix_file(const std::string& path, const std::string& what,
                                      Progress* progress) {
  if (const MemoryMatrix* m = find_memory_matrix(path)) return read_memory_matrix<Scalar>(*m, path, what);
  return with_formats(
      [&] {
        return is_npy_file(path) ? read_npy<Scalar>(path, what, progress)
                                 : read_matrix_market<Scalar>(path, what, progress);
      },
      what, false);
}

MatrixMarketHeader read_matrix_file_header(const std::string& path, const std::string& what) {
  if (const MemoryMatrix* m = find_memory_matrix(path)) return memory_matrix_header(*m);
  return with_formats(
      [&] {
        if (!is_npy_file(path)) return read_matrix_market_header(path, what);
        const NpyHeader n = read_npy_header(path, what);
        MatrixMarketHeader h;
        h.npy = true;
        h.field = n.dtype();
        h.rows = static_cast<Eigen::Index>(n.shape[0]);
        h.cols = n.shape.size() == 2 ? static_cast<Eigen::Index>(n.shape[1]) : 1;
        h.entries = std::int64_t(h.rows) * std::int64_t(h.cols);
        return h;
      },
      what, false);
}

template <class Scalar>
Vector<Scalar> read_vector_file(const std::string& path, const std::string& what) {
  if (const MemoryMatrix* m = find_memory_matrix(path)) return read_memory_vector<Scalar>(*m, path, what);
  return with_formats(
      [&] {
        return is_npy_file(path) ? read_npy_vector<Scalar>(path, what)
                                 : read_matrix_market_vector<Scalar>(path, what);
      },
      what, true);
}

template MatrixMarket<double> read_matrix_file<double>(const std::string&, const std::string&,
                                                       Progress*);
template MatrixMarket<mpfr_float> read_matrix_file<mpfr_float>(const std::string&,
                                                               const std::string&, Progress*);
template Vector<double> read_vector_file<double>(const std::string&, const std::string&);
template Vector<mpfr_float> read_vector_file<mpfr_float>(const std::string&, const std::string&);

}  // namespace momentum::cli
