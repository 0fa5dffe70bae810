#include "memory_matrix.hpp"

#include <cmath>
#include <map>

namespace momentum::cli {

namespace {

std::map<std::string, MemoryMatrix>& registry() {
  static std::map<std::string, MemoryMatrix> r;
  return r;
}

[[noreturn]] void not_finite(double v, Eigen::Index i, Eigen::Index j, const std::string& name,
                             const std::string& what) {
  throw UsageError(what + " " + name + ": entry (" + std::to_string(i + 1) + "," +
                   std::to_string(j + 1) + ") is " + (std::isnan(v) ? "nan" : "infinite") +
                   ": every value must be finite");
}

/// Entry (i, j) of a dense matrix.
double entry(const MemoryMatrix& m, Eigen::Index i, Eigen::Index j) {
  return m.row_major ? m.data[i * m.cols + j] : m.data[j * m.rows + i];
}

}  // namespace

void register_memory_matrix(const std::string& name, MemoryMatrix m) {
  registry()[name] = std::move(m);
}

void clear_memory_matrices() { registry().clear(); }

const MemoryMatrix* find_memory_matrix(const std::string& name) {
  const auto& r = registry();
  if (r.empty()) return nullptr;  // the command line: every name is a file
  const auto it = r.find(name);
  return it == r.end() ? nullptr : &it->second;
}

MatrixMarketHeader memory_matrix_header(const MemoryMatrix& m) {
  MatrixMarketHeader h;
  h.coordinate = m.sparse != nullptr;
  h.field = "real";
  h.rows = m.rows;
  h.cols = m.cols;
  h.entries = m.sparse ? std::int64_t(m.sparse->nonZeros()) : std::int64_t(m.rows) * std::int64_t(m.cols);
  return h;
}

std::optional<Eigen::Map<const Matrix<double>>> memory_view(const std::string& name) {
  const MemoryMatrix* m = find_memory_matrix(name);
  if (m == nullptr || m->sparse || m->rows == 0 || m->rows != m->cols) return std::nullopt;
  const Eigen::Index n = m->rows;
  for (Eigen::Index k = 0; k < n * n; ++k)
    if (!std::isfinite(m->data[k])) return std::nullopt;
  if (m->row_major)
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = j + 1; i < n; ++i)
        if (m->data[i * n + j] != m->data[j * n + i]) return std::nullopt;
  return Eigen::Map<const Matrix<double>>(m->data, n, n);
}

template <class Scalar>
MatrixMarket<Scalar> read_memory_matrix(const MemoryMatrix& m, const std::string& name,
                                        const std::string& what) {
  if (m.rows == 0 || m.cols == 0)
    throw UsageError(what + " " + name + ": the array of shape (" + std::to_string(m.rows) + ", " +
                     std::to_string(m.cols) + ") is empty");
  MatrixMarket<Scalar> out;
  out.header = memory_matrix_header(m);
  if (m.sparse) {
    const Eigen::SparseMatrix<double>& s = *m.sparse;
    for (Eigen::Index k = 0; k < s.outerSize(); ++k)
      for (Eigen::SparseMatrix<double>::InnerIterator it(s, k); it; ++it)
        if (!std::isfinite(it.value())) not_finite(it.value(), it.row(), it.col(), name, what);
    out.sparse = s.cast<Scalar>();
    return out;
  }
  // Checked first, so that no Scalar matrix is filled for nothing.
  for (Eigen::Index i = 0; i < m.rows * m.cols; ++i)
    if (!std::isfinite(m.data[i]))
      not_finite(m.data[i], m.row_major ? i / m.cols : i % m.rows,
                 m.row_major ? i % m.cols : i / m.rows, name, what);
  out.dense.resize(m.rows, m.cols);
  if (m.row_major) {
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        view(m.data, m.rows, m.cols);
    out.dense = view.template cast<Scalar>();
  } else {
    const Eigen::Map<const Matrix<double>> view(m.data, m.rows, m.cols);
    out.dense = view.template cast<Scalar>();
  }
  return out;
}

template <class Scalar>
Vector<Scalar> read_memory_vector(const MemoryMatrix& m, const std::string& name,
                                  const std::string& what) {
  if (m.sparse || (m.rows != 1 && m.cols != 1))
    throw UsageError(what + " " + name + ": must be a vector (shape (n,), (n, 1) or (1, n)), got " +
                     std::to_string(m.rows) + "x" + std::to_string(m.cols) +
                     (m.sparse ? " sparse" : ""));
  const Eigen::Index n = m.rows * m.cols;
  if (n == 0) throw UsageError(what + " " + name + ": the array is empty");
  Vector<Scalar> v(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = m.rows == 1 ? entry(m, 0, i) : entry(m, i, 0);
    if (!std::isfinite(x)) not_finite(x, m.rows == 1 ? 0 : i, m.rows == 1 ? i : 0, name, what);
    v(i) = Scalar(x);
  }
  return v;
}

template MatrixMarket<double> read_memory_matrix<double>(const MemoryMatrix&, const std::string&,
                                                         const std::string&);
template MatrixMarket<mpfr_float> read_memory_matrix<mpfr_float>(const MemoryMatrix&,
                                                                 const std::string&,
                                                                 const std::string&);
template Vector<double> read_memory_vector<double>(const MemoryMatrix&, const std::string&,
                                                   const std::string&);
template Vector<mpfr_float> read_memory_vector<mpfr_float>(const MemoryMatrix&,
                                                           const std::string&,
                                                           const std::string&);

}  // namespace momentum::cli
